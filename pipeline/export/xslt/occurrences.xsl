<?xml version="1.0" encoding="UTF-8"?>
<!--
  occurrences.xsl: one document's share of the register pages.  XSLT 1.0.

  A register page lists, under each entry, every document that names it; an edition of
  thousands of documents cannot hold all of them at once.  So each document's lists are
  made on their own, when the document is read (pipeline/export/summary.py), with the
  template "occurrences" of collection.xsl, and the register pages are put together from
  them (pipeline/export/edition.py).  Change the lists in collection.xsl, not here.

  Input: <groups><group><doc …><in …/></doc></group>…</groups> (the <doc> of
  collection.xsl); output: one <ul class="occurrences"> per group, in order.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="collection.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:for-each select="/groups/group">
      <xsl:call-template name="occurrences"/>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
