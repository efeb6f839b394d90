<?xml version="1.0" encoding="UTF-8"?>
<!--
  card.xsl: one register entry (TEI person, place or org) -> its card, as document.xsl puts
  it in a page (layout.xsl, mode "card").  XSLT 1.0.

  An entry is named by many documents; pipeline/export/html.py makes its card once with
  this and puts it in each document page it writes (pipeline/export/document_html.py).
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:apply-templates select="*" mode="card"/>
  </xsl:template>

</xsl:stylesheet>
