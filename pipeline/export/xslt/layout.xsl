<?xml version="1.0" encoding="UTF-8"?>
<!--
  layout.xsl: what every page of the HTML edition shares.  XSLT 1.0, imported by
  document.xsl (TEI -> document page) and collection.xsl (home, register and search pages).

  - the page shell (named template "page"): header with the edition's navigation, a skip
    link, <main>, and a footer with the page's citation;
  - register entries (TEI person/place/org, mode "card"): type, dates, description, other
    names, authority links;
  - passage labels ("passage-label"), the same as pipeline/export/passages.py gives.

  Adapting the look of the edition starts here and in ../static/edition.css.  Every value
  from a source reaches the page through xsl:value-of or an attribute value template, which
  the HTML output method escapes; never use disable-output-escaping.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="tei">

  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <!-- Set by pipeline/export/html.py for every page. -->
  <xsl:param name="site-title" select="'TEI edition'"/>
  <xsl:param name="version" select="''"/>
  <xsl:param name="base-url" select="''"/>

  <!-- The Content Security Policy of every page: nothing but the edition's own files. -->
  <xsl:variable name="csp">default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'self'</xsl:variable>

  <!-- ================================================================= page shell -->

  <xsl:template name="page">
    <xsl:param name="title"/>
    <xsl:param name="root" select="''"/>
    <xsl:param name="current" select="''"/>
    <xsl:param name="lang" select="'en'"/>
    <xsl:param name="body"/>
    <!-- true: the body is the calling stylesheet's template of mode "page-body" for the
         context node, made in place (a page's body passed as $body is built, then copied:
         a tenth of the time of a document page). -->
    <xsl:param name="own-body" select="false()"/>
    <xsl:param name="citation"/>
    <xsl:param name="scripts" select="''"/>
    <xsl:param name="page-class" select="''"/>
    <xsl:param name="header-search" select="true()"/>
    <html lang="{$lang}">
      <head>
        <meta http-equiv="Content-Security-Policy" content="{$csp}"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="teipipe {$version}"/>
        <title>
          <xsl:value-of select="$title"/>
          <xsl:if test="$title != $site-title">
            <xsl:text> — </xsl:text>
            <xsl:value-of select="$site-title"/>
          </xsl:if>
        </title>
        <link rel="icon" href="{$root}assets/favicon.svg" type="image/svg+xml"/>
        <link rel="stylesheet" href="{$root}assets/edition.css"/>
        <script src="{$root}assets/edition.js" defer="defer"></script>
        <xsl:if test="contains($scripts, 'table')">
          <script src="{$root}assets/table.js" defer="defer"></script>
        </xsl:if>
        <xsl:if test="contains($scripts, 'search')">
          <script src="{$root}assets/search-index.js" defer="defer"></script>
          <script src="{$root}assets/search.js" defer="defer"></script>
        </xsl:if>
      </head>
      <body class="{$page-class}">
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
          <div class="wrap">
            <p class="site-title"><a href="{$root}index.html"><xsl:value-of select="$site-title"/></a></p>
            <nav class="site-nav" aria-label="Edition">
              <ul>
                <xsl:call-template name="nav-item">
                  <xsl:with-param name="href" select="concat($root, 'index.html')"/>
                  <xsl:with-param name="label" select="'Documents'"/>
                  <xsl:with-param name="here" select="$current = 'home'"/>
                </xsl:call-template>
                <xsl:call-template name="nav-item">
                  <xsl:with-param name="href" select="concat($root, 'persons.html')"/>
                  <xsl:with-param name="label" select="'Persons'"/>
                  <xsl:with-param name="here" select="$current = 'person'"/>
                </xsl:call-template>
                <xsl:call-template name="nav-item">
                  <xsl:with-param name="href" select="concat($root, 'places.html')"/>
                  <xsl:with-param name="label" select="'Places'"/>
                  <xsl:with-param name="here" select="$current = 'place'"/>
                </xsl:call-template>
                <xsl:call-template name="nav-item">
                  <xsl:with-param name="href" select="concat($root, 'organizations.html')"/>
                  <xsl:with-param name="label" select="'Organizations'"/>
                  <xsl:with-param name="here" select="$current = 'org'"/>
                </xsl:call-template>
                <xsl:call-template name="nav-item">
                  <xsl:with-param name="href" select="concat($root, 'search.html')"/>
                  <xsl:with-param name="label" select="'Search'"/>
                  <xsl:with-param name="here" select="$current = 'search'"/>
                </xsl:call-template>
              </ul>
            </nav>
            <xsl:if test="$header-search">
              <form class="site-search" role="search" aria-label="Site" action="{$root}search.html" method="get">
                <label for="site-q" class="vh">Search the edition</label>
                <input id="site-q" name="q" type="search" placeholder="Search the edition"/>
                <button type="submit">Search</button>
              </form>
            </xsl:if>
          </div>
        </header>
        <main id="main" tabindex="-1">
          <div class="wrap">
            <xsl:choose>
              <xsl:when test="$own-body"><xsl:apply-templates select="." mode="page-body"/></xsl:when>
              <xsl:otherwise><xsl:copy-of select="$body"/></xsl:otherwise>
            </xsl:choose>
          </div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <section class="citation" aria-labelledby="cite-h">
              <h2 id="cite-h">Cite this page</h2>
              <p class="cite-text"><xsl:copy-of select="$citation"/></p>
            </section>
            <p class="colophon">
              <xsl:value-of select="$site-title"/>
              <xsl:text>: a static edition built with teipipe </xsl:text>
              <xsl:value-of select="$version"/>
              <xsl:text> from the TEI files of the edition, which can be downloaded with each document. It works offline: it loads nothing from anywhere else.</xsl:text>
            </p>
          </div>
        </footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="nav-item">
    <xsl:param name="href"/>
    <xsl:param name="label"/>
    <xsl:param name="here" select="false()"/>
    <li>
      <a href="{$href}">
        <xsl:if test="$here"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
        <xsl:value-of select="$label"/>
      </a>
    </li>
  </xsl:template>

  <!-- The URL of a page of the edition, for citations: absolute when base-url is set. -->
  <xsl:template name="page-url">
    <xsl:param name="path"/>
    <xsl:if test="$base-url != ''">
      <xsl:text> </xsl:text>
      <xsl:value-of select="concat($base-url, $path)"/>
      <xsl:text>.</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- ================================================================= register entries -->

  <xsl:template name="entry-type">
    <xsl:choose>
      <xsl:when test="self::tei:person">Person</xsl:when>
      <xsl:when test="self::tei:place">Place</xsl:when>
      <xsl:otherwise>Organization</xsl:otherwise>
    </xsl:choose>
    <xsl:if test="normalize-space(@type) != ''">
      <xsl:text> (</xsl:text>
      <xsl:value-of select="normalize-space(@type)"/>
      <xsl:text>)</xsl:text>
    </xsl:if>
    <xsl:variable name="country" select="normalize-space((tei:country | tei:nationality)[1])"/>
    <xsl:if test="$country != ''">
      <xsl:text> · </xsl:text>
      <xsl:value-of select="$country"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="preferred-name">
    <xsl:variable name="names" select="tei:persName | tei:placeName | tei:orgName"/>
    <xsl:choose>
      <xsl:when test="$names[@type = 'preferred']">
        <xsl:value-of select="normalize-space($names[@type = 'preferred'][1])"/>
      </xsl:when>
      <xsl:when test="$names">
        <xsl:value-of select="normalize-space($names[1])"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="@xml:id"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A date of an entry's life: @when, else @from/@to, else @notBefore/@notAfter, else text. -->
  <xsl:template name="when">
    <xsl:param name="el"/>
    <xsl:choose>
      <xsl:when test="$el/@when"><xsl:value-of select="$el/@when"/></xsl:when>
      <xsl:when test="$el/@from or $el/@to">
        <xsl:value-of select="$el/@from"/>–<xsl:value-of select="$el/@to"/>
      </xsl:when>
      <xsl:when test="$el/@notBefore or $el/@notAfter">
        <xsl:value-of select="$el/@notBefore"/>–<xsl:value-of select="$el/@notAfter"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space($el)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="entry-dates">
    <xsl:variable name="birth"><xsl:call-template name="when"><xsl:with-param name="el" select="tei:birth[1]"/></xsl:call-template></xsl:variable>
    <xsl:variable name="death"><xsl:call-template name="when"><xsl:with-param name="el" select="tei:death[1]"/></xsl:call-template></xsl:variable>
    <xsl:variable name="active" select="(tei:floruit | tei:state[@type = 'active'] | tei:date[@type = 'active'] | tei:existence | (tei:orgName | tei:placeName)[@type = 'preferred'][@from or @to])[1]"/>
    <xsl:variable name="verb">
      <xsl:choose>
        <xsl:when test="self::tei:place">existed</xsl:when>
        <xsl:otherwise>active</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$birth != '' and $death != ''"><xsl:value-of select="concat($birth, '–', $death)"/></xsl:when>
      <xsl:when test="$birth != ''"><xsl:value-of select="concat('born ', $birth)"/></xsl:when>
      <xsl:when test="$death != ''"><xsl:value-of select="concat('died ', $death)"/></xsl:when>
    </xsl:choose>
    <xsl:if test="$active">
      <xsl:if test="$birth != '' or $death != ''"><xsl:text>; </xsl:text></xsl:if>
      <xsl:choose>
        <xsl:when test="$active/@from and not($active/@to)"><xsl:value-of select="$verb"/> from <xsl:value-of select="$active/@from"/></xsl:when>
        <xsl:when test="$active/@to and not($active/@from)"><xsl:value-of select="$verb"/> until <xsl:value-of select="$active/@to"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$verb"/><xsl:text> </xsl:text><xsl:call-template name="when"><xsl:with-param name="el" select="$active"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- An entry's details.  with-name: start with its type and preferred name. -->
  <xsl:template match="tei:person | tei:place | tei:org" mode="card">
    <xsl:param name="with-name" select="true()"/>
    <xsl:if test="$with-name">
      <p class="card-name">
        <span class="card-type"><xsl:call-template name="entry-type"/></span>
        <xsl:text> </xsl:text>
        <strong><xsl:call-template name="preferred-name"/></strong>
      </p>
    </xsl:if>
    <xsl:if test="not($with-name)">
      <p class="card-type"><xsl:call-template name="entry-type"/></p>
    </xsl:if>
    <xsl:if test="tei:birth or tei:death or tei:floruit or tei:state[@type = 'active'] or tei:date[@type = 'active'] or tei:existence or (tei:orgName | tei:placeName)[@type = 'preferred'][@from or @to]">
      <xsl:variable name="dates"><xsl:call-template name="entry-dates"/></xsl:variable>
      <xsl:if test="normalize-space($dates) != ''">
        <p class="card-dates"><xsl:value-of select="normalize-space($dates)"/></p>
      </xsl:if>
    </xsl:if>
    <xsl:for-each select="tei:occupation">
      <p class="card-occupation">
        <xsl:value-of select="normalize-space(.)"/>
        <xsl:if test="@from or @to or @when">
          <xsl:text> (</xsl:text>
          <xsl:call-template name="when"><xsl:with-param name="el" select="."/></xsl:call-template>
          <xsl:text>)</xsl:text>
        </xsl:if>
      </p>
    </xsl:for-each>
    <xsl:for-each select="tei:note[@type = 'description'] | tei:desc">
      <p class="card-desc"><xsl:value-of select="normalize-space(.)"/></p>
    </xsl:for-each>
    <xsl:variable name="variants" select="(tei:persName | tei:placeName | tei:orgName)[@type = 'variant']"/>
    <xsl:if test="$variants">
      <p class="card-variants">
        <xsl:text>Also named: </xsl:text>
        <xsl:for-each select="$variants">
          <xsl:if test="position() &gt; 1"><xsl:text>; </xsl:text></xsl:if>
          <xsl:value-of select="normalize-space(.)"/>
        </xsl:for-each>
      </p>
    </xsl:if>
    <xsl:if test="tei:idno">
      <ul class="card-links">
        <xsl:apply-templates select="tei:idno" mode="authority"/>
      </ul>
    </xsl:if>
  </xsl:template>

  <!-- An authority identifier: a link where its type and form are known, text otherwise. -->
  <xsl:template match="tei:idno" mode="authority">
    <xsl:variable name="v" select="normalize-space(.)"/>
    <xsl:variable name="t" select="translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
    <xsl:variable name="digits" select="$v != '' and translate($v, '0123456789', '') = ''"/>
    <xsl:variable name="href">
      <xsl:choose>
        <xsl:when test="$t = 'wikidata' and starts-with($v, 'Q') and string-length($v) &gt; 1 and translate(substring($v, 2), '0123456789', '') = ''">https://www.wikidata.org/wiki/<xsl:value-of select="$v"/></xsl:when>
        <xsl:when test="$t = 'geonames' and $digits">https://www.geonames.org/<xsl:value-of select="$v"/></xsl:when>
        <xsl:when test="$t = 'viaf' and $digits">https://viaf.org/viaf/<xsl:value-of select="$v"/></xsl:when>
        <xsl:when test="$t = 'gnd' and $v != '' and translate($v, '0123456789X-', '') = ''">https://d-nb.info/gnd/<xsl:value-of select="$v"/></xsl:when>
        <xsl:when test="($t = 'lcnaf' or $t = 'loc') and $v != '' and translate($v, 'abcdefghijklmnopqrstuvwxyz0123456789', '') = ''">https://id.loc.gov/authorities/names/<xsl:value-of select="$v"/></xsl:when>
        <xsl:when test="($t = 'uri' or $t = 'url') and (starts-with($v, 'https://') or starts-with($v, 'http://')) and not(contains($v, ' '))"><xsl:value-of select="$v"/></xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="label">
      <xsl:choose>
        <xsl:when test="$t = 'wikidata'">Wikidata</xsl:when>
        <xsl:when test="$t = 'geonames'">GeoNames</xsl:when>
        <xsl:when test="$t = 'viaf'">VIAF</xsl:when>
        <xsl:when test="$t = 'gnd'">GND</xsl:when>
        <xsl:when test="$t = 'lcnaf' or $t = 'loc'">Library of Congress</xsl:when>
        <xsl:when test="$t = 'uri' or $t = 'url'">Web</xsl:when>
        <xsl:otherwise><xsl:value-of select="@type"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <li>
      <xsl:choose>
        <xsl:when test="$href != ''">
          <a class="authority" href="{$href}"><xsl:value-of select="$label"/><xsl:text> </xsl:text><span class="authority-id"><xsl:value-of select="$v"/></span></a>
        </xsl:when>
        <xsl:otherwise>
          <span class="authority"><xsl:value-of select="$label"/><xsl:text> </xsl:text><span class="authority-id"><xsl:value-of select="$v"/></span></span>
        </xsl:otherwise>
      </xsl:choose>
    </li>
  </xsl:template>

  <!-- ================================================================= passages -->

  <!-- "d1.p7" -> "¶ 7", "d1.item5" -> "item 5" (as pipeline/export/passages.py, whose
       PASSAGE_KINDS are $passage-kinds: "|kind=name|" for each).  Computed with XPath
       alone, without result-tree fragments: every passage of every page asks. -->
  <xsl:variable name="passage-kinds" select="'|p=¶|item=item|sp=speech|head=heading|note=note|section=section|opener=opening|closer=closing|postscript=postscript|enclosure=enclosure|'"/>
  <xsl:template name="passage-label">
    <xsl:param name="id"/>
    <xsl:param name="doc-id"/>
    <!-- what follows "doc-id.", else the whole id -->
    <xsl:variable name="suffix" select="substring($id, 1 + (string-length($doc-id) + 1) * starts-with($id, concat($doc-id, '.')))"/>
    <xsl:variable name="kind" select="translate($suffix, '0123456789', '')"/>
    <xsl:variable name="num" select="substring($suffix, string-length($kind) + 1)"/>
    <xsl:variable name="known" select="$kind != '' and translate($kind, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '') = '' and concat($kind, $num) = $suffix"/>
    <xsl:variable name="found" select="substring-before(substring-after($passage-kinds, concat('|', $kind, '=')), '|')"/>
    <xsl:variable name="name" select="substring($found, 1, string-length($found) * $known)"/>
    <xsl:choose>
      <xsl:when test="$name != '' and $num != ''"><xsl:value-of select="concat($name, ' ', $num)"/></xsl:when>
      <xsl:when test="$name != ''"><xsl:value-of select="$name"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$suffix"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
