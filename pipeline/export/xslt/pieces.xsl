<?xml version="1.0" encoding="UTF-8"?>
<!--
  pieces.xsl: pieces of the pages of collection.xsl, made apart.  XSLT 1.0.

  The home page lists every document and a register page every passage that names each
  entry; an edition of thousands of documents cannot hold all of them at once.  So these
  lists are made in pieces, with the templates of collection.xsl, and the pages are put
  together from them (pipeline/export/edition.py):

  - <groups><group><doc …><in …/></doc></group>…</groups> (the <doc> of collection.xsl):
    one document's share of the register pages, made when the document is read
    (pipeline/export/summary.py); one <ul class="occurrences"> per group, in order;
  - <rows><document …/>…</rows> (the <document> of collection.xsl): rows of the table of
    documents of the home page.

  Change the lists in collection.xsl, not here.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="collection.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:for-each select="/groups/group">
      <xsl:call-template name="occurrences"/>
    </xsl:for-each>
    <xsl:apply-templates select="/rows/document" mode="row"/>
  </xsl:template>

</xsl:stylesheet>
