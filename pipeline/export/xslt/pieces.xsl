<?xml version="1.0" encoding="UTF-8"?>
<!--
  pieces.xsl: pieces of the pages of collection.xsl, made apart.  XSLT 1.0.

  The home page lists every document; an edition of thousands of documents cannot hold all
  of them at once.  So the list is made in pieces, with the templates of collection.xsl,
  and the page is put together from them (pipeline/export/edition.py):
  <rows><document …/>…</rows> (the <document> of collection.xsl): rows of the table of
  documents of the home page.  (An entry page's lists of occurrences are made in pieces
  too, by pipeline/export/html_pieces.py, as collection.xsl's template "occurrences"
  makes them; tests/test_export_pieces.py checks that.)

  Change the lists in collection.xsl, not here.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="collection.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:apply-templates select="/rows/document" mode="row"/>
  </xsl:template>

</xsl:stylesheet>
