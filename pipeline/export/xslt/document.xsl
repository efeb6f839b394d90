<?xml version="1.0" encoding="UTF-8"?>
<!--
  document.xsl: one TEI document of the edition -> its HTML page.  XSLT 1.0.

  It runs on a TEI file as teipipe writes it (see schema/README.md) and needs nothing but that
  file: the register entries come from its <standOff>.  It runs on its own in any XSLT 1.0
  processor (xsltproc document.xsl tei/NAME.xml); pipeline/export/html.py also passes the
  previous and next documents, the download links and the edition's title as parameters.

  The page: metadata above the text; the text with its structure; names linked to the
  register and explained in a popup (assets/edition.js); the translator's insertions in
  brackets, each kind styled and labelled apart; a stable id on every passage (the TEI
  xml:id), with a link to it beside it; a list of the names in the document; previous/next.

  Templates in mode "text" render the document text.  To change how an element looks, change
  its template here and its rule in ../static/edition.css.

  teipipe itself writes the same pages in Python (pipeline/export/document_html.py: the same
  walk of the tree as strings, at a fraction of the time); tests/test_export_document_html.py
  checks that this stylesheet and that module give the same page, byte for byte, so a change
  here is made there too.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="tei">

  <xsl:import href="layout.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:param name="root" select="'../'"/>
  <xsl:param name="self" select="''"/>
  <xsl:param name="tei-href" select="''"/>
  <xsl:param name="text-href" select="''"/>
  <xsl:param name="prev-href" select="''"/>
  <xsl:param name="prev-title" select="''"/>
  <xsl:param name="next-href" select="''"/>
  <xsl:param name="next-title" select="''"/>

  <!-- The names of the text and of the senders and recipients ($names), by their @ref. -->
  <xsl:key name="pointer" match="/tei:TEI/tei:text/tei:body//tei:persName | /tei:TEI/tei:text/tei:body//tei:placeName | /tei:TEI/tei:text/tei:body//tei:orgName | /tei:TEI/tei:teiHeader/tei:profileDesc/tei:correspDesc//tei:persName | /tei:TEI/tei:teiHeader/tei:profileDesc/tei:correspDesc//tei:placeName | /tei:TEI/tei:teiHeader/tei:profileDesc/tei:correspDesc//tei:orgName" use="normalize-space(@ref)"/>
  <xsl:key name="entry" match="tei:standOff//tei:person[@xml:id] | tei:standOff//tei:place[@xml:id] | tei:standOff//tei:org[@xml:id]" use="@xml:id"/>

  <xsl:variable name="doc-id" select="/tei:TEI/@xml:id"/>
  <xsl:variable name="h" select="/tei:TEI/tei:teiHeader"/>
  <xsl:variable name="title" select="normalize-space($h/tei:fileDesc/tei:titleStmt/tei:title[@type = 'main'][1])"/>
  <xsl:variable name="date" select="$h/tei:profileDesc/tei:creation/tei:date[1]"/>
  <xsl:variable name="ms" select="$h/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier"/>
  <xsl:variable name="translator" select="$h/tei:fileDesc/tei:titleStmt/tei:respStmt[@xml:id = concat($doc-id, '.translator')]"/>
  <xsl:variable name="div" select="/tei:TEI/tei:text/tei:body"/>
  <xsl:variable name="names" select="$div//tei:persName | $div//tei:placeName | $div//tei:orgName | $h/tei:profileDesc/tei:correspDesc//tei:persName | $h/tei:profileDesc/tei:correspDesc//tei:placeName | $h/tei:profileDesc/tei:correspDesc//tei:orgName"/>

  <xsl:template match="/">
    <xsl:apply-templates select="tei:TEI"/>
  </xsl:template>

  <xsl:template match="tei:TEI">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="current" select="'document'"/>
      <xsl:with-param name="lang">
        <xsl:choose>
          <xsl:when test="@xml:lang"><xsl:value-of select="@xml:lang"/></xsl:when>
          <xsl:otherwise>en</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="page-class" select="'document-page'"/>
      <xsl:with-param name="citation"><xsl:call-template name="citation"/></xsl:with-param>
      <xsl:with-param name="own-body" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's body, made in the page shell (layout.xsl, "page"). -->
  <xsl:template match="tei:TEI" mode="page-body">
    <nav class="breadcrumb" aria-label="Breadcrumb">
      <ol>
        <li><a href="{$root}index.html">Documents</a></li>
        <li><a href="#{$doc-id}" aria-current="page"><xsl:value-of select="$title"/></a></li>
      </ol>
    </nav>
    <article class="document" id="{$doc-id}" aria-labelledby="doc-title">
      <header class="doc-header">
        <p class="doc-kind">
          <xsl:call-template name="category"><xsl:with-param name="scheme" select="'.doctype'"/></xsl:call-template>
          <xsl:variable name="classification"><xsl:call-template name="category"><xsl:with-param name="scheme" select="'.classification'"/></xsl:call-template></xsl:variable>
          <xsl:if test="$classification != ''">
            <xsl:text> · </xsl:text>
            <xsl:value-of select="$classification"/>
          </xsl:if>
        </p>
        <h1 id="doc-title"><xsl:value-of select="$title"/></h1>
        <p class="doc-date"><xsl:call-template name="doc-date"/></p>
      </header>
      <xsl:call-template name="metadata"/>
      <xsl:call-template name="text"/>
      <xsl:call-template name="names"/>
    </article>
    <xsl:call-template name="pager"/>
  </xsl:template>

  <!-- ================================================================= metadata -->

  <xsl:template name="category">
    <xsl:param name="scheme"/>
    <xsl:variable name="ref" select="$h/tei:profileDesc/tei:textClass/tei:catRef[substring(@scheme, string-length(@scheme) - string-length($scheme) + 1) = $scheme][1]"/>
    <xsl:variable name="target" select="substring-after($ref/@target, '#')"/>
    <xsl:value-of select="normalize-space(id($target)[@xml:id = $target]/tei:catDesc)"/>
  </xsl:template>

  <xsl:template name="doc-date">
    <xsl:choose>
      <xsl:when test="$date and normalize-space($date) != ''">
        <time>
          <xsl:if test="$date/@when"><xsl:attribute name="datetime"><xsl:value-of select="$date/@when"/></xsl:attribute></xsl:if>
          <xsl:value-of select="normalize-space($date)"/>
        </time>
      </xsl:when>
      <xsl:when test="$date/@when"><time datetime="{$date/@when}"><xsl:value-of select="$date/@when"/></time></xsl:when>
      <xsl:otherwise>Undated</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="row">
    <xsl:param name="label"/>
    <xsl:param name="value"/>
    <xsl:if test="normalize-space($value) != ''">
      <div class="meta-row">
        <dt><xsl:value-of select="$label"/></dt>
        <dd><xsl:copy-of select="$value"/></dd>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template name="parties">
    <xsl:param name="actions"/>
    <xsl:for-each select="$actions/*[not(self::tei:date)]">
      <xsl:if test="position() &gt; 1"><xsl:text>; </xsl:text></xsl:if>
      <xsl:apply-templates select="." mode="text"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="metadata">
    <xsl:variable name="corresp" select="$h/tei:profileDesc/tei:correspDesc/tei:correspAction"/>
    <section class="metadata" id="meta" aria-labelledby="meta-h">
      <h2 id="meta-h">About this document</h2>
      <xsl:for-each select="$h/tei:profileDesc/tei:abstract/tei:p">
        <p class="summary"><xsl:value-of select="normalize-space(.)"/></p>
      </xsl:for-each>
      <dl class="meta">
        <xsl:call-template name="row">
          <xsl:with-param name="label">Date</xsl:with-param>
          <xsl:with-param name="value"><xsl:call-template name="doc-date"/></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Kind</xsl:with-param>
          <xsl:with-param name="value"><xsl:call-template name="category"><xsl:with-param name="scheme" select="'.doctype'"/></xsl:call-template></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Classification</xsl:with-param>
          <xsl:with-param name="value"><xsl:call-template name="category"><xsl:with-param name="scheme" select="'.classification'"/></xsl:call-template></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Author</xsl:with-param>
          <xsl:with-param name="value">
            <xsl:for-each select="$h/tei:fileDesc/tei:titleStmt/tei:author">
              <xsl:if test="position() &gt; 1"><xsl:text>; </xsl:text></xsl:if>
              <xsl:value-of select="normalize-space(.)"/>
            </xsl:for-each>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">From</xsl:with-param>
          <xsl:with-param name="value"><xsl:call-template name="parties"><xsl:with-param name="actions" select="$corresp[@type = 'sent']"/></xsl:call-template></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">To</xsl:with-param>
          <xsl:with-param name="value"><xsl:call-template name="parties"><xsl:with-param name="actions" select="$corresp[@type = 'received' and not(@subtype = 'copy')]"/></xsl:call-template></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Copy to</xsl:with-param>
          <xsl:with-param name="value"><xsl:call-template name="parties"><xsl:with-param name="actions" select="$corresp[@subtype = 'copy']"/></xsl:call-template></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Archive</xsl:with-param>
          <xsl:with-param name="value">
            <xsl:value-of select="normalize-space($ms/tei:repository)"/>
            <xsl:if test="normalize-space($ms/tei:settlement) != ''">
              <xsl:if test="normalize-space($ms/tei:repository) != ''"><xsl:text>, </xsl:text></xsl:if>
              <xsl:value-of select="normalize-space($ms/tei:settlement)"/>
            </xsl:if>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Reference</xsl:with-param>
          <xsl:with-param name="value"><xsl:value-of select="normalize-space($ms/tei:idno[@type = 'reference'])"/></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Document number</xsl:with-param>
          <xsl:with-param name="value"><xsl:value-of select="normalize-space($ms/tei:altIdentifier[@type = 'document-number']/tei:idno)"/></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Language</xsl:with-param>
          <xsl:with-param name="value">
            <xsl:variable name="lang" select="normalize-space($h/tei:profileDesc/tei:langUsage/tei:language[@n = 'original'])"/>
            <xsl:if test="$lang != ''">
              <xsl:text>translated from </xsl:text>
              <xsl:choose>
                <xsl:when test="contains($lang, ' (')"><xsl:value-of select="substring-before($lang, ' (')"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="$lang"/></xsl:otherwise>
              </xsl:choose>
            </xsl:if>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Translator</xsl:with-param>
          <xsl:with-param name="value"><xsl:value-of select="normalize-space($translator/tei:persName)"/></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Obtained by</xsl:with-param>
          <xsl:with-param name="value"><xsl:value-of select="normalize-space($h/tei:fileDesc/tei:titleStmt/tei:respStmt[@xml:id = concat($doc-id, '.obtained')]/tei:persName)"/></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Funder</xsl:with-param>
          <xsl:with-param name="value"><xsl:value-of select="normalize-space($h/tei:fileDesc/tei:titleStmt/tei:funder)"/></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Record</xsl:with-param>
          <xsl:with-param name="value">
            <xsl:variable name="record" select="normalize-space($h/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'record'])"/>
            <xsl:if test="$record != ''">
              <xsl:value-of select="normalize-space($h/tei:fileDesc/tei:publicationStmt/tei:publisher)"/>
              <xsl:text>, record </xsl:text>
              <xsl:value-of select="$record"/>
            </xsl:if>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Uploaded</xsl:with-param>
          <xsl:with-param name="value"><xsl:value-of select="normalize-space($h/tei:fileDesc/tei:publicationStmt/tei:date[@type = 'uploaded'])"/></xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Places</xsl:with-param>
          <xsl:with-param name="value">
            <xsl:for-each select="$h/tei:profileDesc/tei:textClass/tei:keywords[@n = 'associated-places']/tei:term">
              <xsl:if test="position() &gt; 1"><xsl:text>; </xsl:text></xsl:if>
              <xsl:value-of select="normalize-space(.)"/>
            </xsl:for-each>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Topics</xsl:with-param>
          <xsl:with-param name="value">
            <xsl:for-each select="$h/tei:profileDesc/tei:textClass/tei:keywords[@n = 'associated-topics']/tei:term">
              <xsl:if test="position() &gt; 1"><xsl:text>; </xsl:text></xsl:if>
              <xsl:value-of select="normalize-space(.)"/>
            </xsl:for-each>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Rights</xsl:with-param>
          <xsl:with-param name="value">
            <xsl:for-each select="$h/tei:fileDesc/tei:publicationStmt/tei:availability/tei:p">
              <span class="rights-p"><xsl:value-of select="normalize-space(.)"/></span>
            </xsl:for-each>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="label">Edition notes</xsl:with-param>
          <xsl:with-param name="value">
            <xsl:for-each select="$h/tei:fileDesc/tei:notesStmt/tei:note">
              <span class="rights-p">
                <xsl:if test="@type = 'unplaced'">A line of the page the converter could not place: </xsl:if>
                <xsl:value-of select="normalize-space(.)"/>
              </span>
            </xsl:for-each>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:if test="$tei-href != '' or $text-href != ''">
          <div class="meta-row">
            <dt>Download</dt>
            <dd>
              <ul class="downloads">
                <xsl:if test="$tei-href != ''"><li><a href="{$tei-href}" download="" type="application/tei+xml">TEI XML</a></li></xsl:if>
                <xsl:if test="$text-href != ''"><li><a href="{$text-href}" download="" type="text/plain">Plain text</a></li></xsl:if>
              </ul>
            </dd>
          </div>
        </xsl:if>
        <div class="meta-row">
          <dt>Identifier</dt>
          <dd><code><xsl:value-of select="$doc-id"/></code></dd>
        </div>
      </dl>
    </section>
  </xsl:template>

  <!-- ================================================================= the text -->

  <xsl:template name="text">
    <section class="text" id="text" aria-labelledby="text-h">
      <h2 id="text-h">Text</h2>
      <details class="key">
        <summary>Key to the text</summary>
        <dl class="key-list">
          <div><dt><span class="ins ins-expan">[Expansion]</span></dt><dd>an abbreviation written out by the translator or editors</dd></div>
          <div><dt><span class="ins ins-supplied">[Supplied]</span></dt><dd>words or parts of a name supplied to complete the sense</dd></div>
          <div><dt><span class="ins ins-note">[Note]</span></dt><dd>a gloss, alternative or literal rendering, explanation of a codename, or other remark</dd></div>
          <div><dt><span class="ins ins-gap">[…]</span></dt><dd>an omission, or words that are illegible or garbled</dd></div>
          <div><dt><span class="ins ins-sic">[sic]</span></dt><dd>so in the original</dd></div>
          <div><dt><span class="page-break"><span class="ins ins-page">[page 2]</span></span></dt><dd>the start of a page of the original</dd></div>
          <div><dt><span class="ent ent-person">Person</span>, <span class="ent ent-place">place</span>, <span class="ent ent-org">organization</span></dt><dd>a name linked to the register; point at it or focus it for details</dd></div>
          <div><dt><span class="ent ent-person ent-ambiguous">Uncertain</span></dt><dd>a name that may refer to more than one register entry</dd></div>
          <div><dt><span class="ent ent-person ent-proposed">Proposed</span></dt><dd>a name found by the automatic recognizer, not yet checked</dd></div>
          <div><dt><span class="permalink-sample">¶ 3</span></dt><dd>the link to a passage: its number is the one to cite</dd></div>
        </dl>
        <p>Square brackets are the translator’s or the editors’ insertions, as on the archive’s page.</p>
      </details>
      <fieldset class="display-options" hidden="hidden">
        <legend>Highlight</legend>
        <label><input type="checkbox" data-toggle="person" checked="checked"/> persons</label>
        <label><input type="checkbox" data-toggle="place" checked="checked"/> places</label>
        <label><input type="checkbox" data-toggle="org" checked="checked"/> organizations</label>
      </fieldset>
      <div class="tei-text">
        <xsl:apply-templates select="$div/node()" mode="text"/>
      </div>
    </section>
  </xsl:template>

  <!-- The link to a passage, beside it: its label is what a citation names. -->
  <xsl:template name="permalink">
    <xsl:param name="id" select="@xml:id"/>
    <xsl:if test="$id != ''">
      <xsl:variable name="label"><xsl:call-template name="passage-label"><xsl:with-param name="id" select="$id"/><xsl:with-param name="doc-id" select="$doc-id"/></xsl:call-template></xsl:variable>
      <a class="permalink" href="#{$id}" aria-label="Link to {$label}"><xsl:value-of select="$label"/></a>
    </xsl:if>
  </xsl:template>

  <xsl:template match="@xml:lang" mode="text">
    <xsl:attribute name="lang"><xsl:value-of select="."/></xsl:attribute>
  </xsl:template>

  <xsl:template match="tei:head" mode="text">
    <h3 class="head">
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="permalink"/>
      <xsl:apply-templates mode="text"/>
    </h3>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer" mode="text">
    <xsl:variable name="id" select="concat($doc-id, '.', local-name(), count(preceding::tei:*[local-name() = local-name(current())][parent::tei:div]) + 1)"/>
    <div class="{local-name()}" id="{$id}">
      <xsl:call-template name="permalink"><xsl:with-param name="id" select="$id"/></xsl:call-template>
      <xsl:apply-templates mode="text"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:opener/tei:seg" mode="text">
    <p class="field field-{@type}"><xsl:apply-templates mode="text"/></p>
  </xsl:template>

  <xsl:template match="tei:dateline | tei:salute | tei:signed" mode="text">
    <p class="{local-name()}"><xsl:apply-templates mode="text"/></p>
  </xsl:template>

  <xsl:template match="tei:address" mode="text">
    <p class="address">
      <xsl:for-each select="tei:addrLine">
        <xsl:if test="position() &gt; 1"><br/><xsl:text>&#10;</xsl:text></xsl:if>
        <xsl:apply-templates mode="text"/>
      </xsl:for-each>
    </p>
  </xsl:template>

  <xsl:template match="tei:label" mode="text">
    <span class="label">
      <xsl:if test="@rend = 'brackets'">[</xsl:if>
      <xsl:apply-templates mode="text"/>
      <xsl:if test="@rend = 'brackets'">]</xsl:if>
    </span>
  </xsl:template>

  <xsl:template match="tei:p" mode="text">
    <p class="p">
      <xsl:apply-templates select="@xml:lang" mode="text"/>
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="permalink"/>
      <xsl:apply-templates mode="text"/>
    </p>
  </xsl:template>

  <!-- The document, a section of it, or an enclosure that follows it. -->
  <xsl:template match="tei:div" mode="text">
    <div class="div-{@type}">
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:if test="@type = 'enclosure'"><xsl:call-template name="permalink"/></xsl:if>
      <xsl:apply-templates mode="text"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:postscript" mode="text">
    <div class="postscript">
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="permalink"/>
      <xsl:apply-templates mode="text"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:list" mode="text">
    <xsl:choose>
      <xsl:when test="@type = 'lettered' or @type = 'numbered' or @type = 'ordered'">
        <ol class="list list-{@type}"><xsl:apply-templates select="tei:item" mode="text"/></ol>
      </xsl:when>
      <xsl:otherwise>
        <ul class="list list-{@type}"><xsl:apply-templates select="tei:item" mode="text"/></ul>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:item" mode="text">
    <li class="item">
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="permalink"/>
      <xsl:apply-templates select="tei:label[1]" mode="text"/>
      <div class="item-body">
        <xsl:apply-templates select="node()[not(self::tei:label and count(preceding-sibling::tei:label) = 0)]" mode="text"/>
      </div>
    </li>
  </xsl:template>

  <xsl:template match="tei:sp" mode="text">
    <div class="sp">
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="permalink"/>
      <xsl:for-each select="tei:p">
        <p>
          <xsl:if test="position() = 1">
            <span class="speaker"><xsl:apply-templates select="../tei:speaker/node()" mode="text"/></span>
            <xsl:text> </xsl:text>
          </xsl:if>
          <xsl:apply-templates mode="text"/>
        </p>
      </xsl:for-each>
      <xsl:if test="not(tei:p)">
        <p><span class="speaker"><xsl:apply-templates select="tei:speaker/node()" mode="text"/></span></p>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="tei:note[@place = 'end']" mode="text">
    <xsl:variable name="first-ref" select="//tei:ref[@type = 'noteref'][@target = concat('#', current()/@xml:id)][1]"/>
    <div class="endnote" role="note">
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <xsl:call-template name="permalink"/>
      <p>
        <xsl:for-each select="tei:label[1]">
          <xsl:choose>
            <xsl:when test="$first-ref">
              <a class="label note-back" href="#{$doc-id}.noteref{count($first-ref/preceding::tei:ref[@type = 'noteref']) + 1}" aria-label="Back to the reference to note {normalize-space(.)}">
                <xsl:if test="@rend = 'brackets'">[</xsl:if><xsl:apply-templates mode="text"/><xsl:if test="@rend = 'brackets'">]</xsl:if>
              </a>
            </xsl:when>
            <xsl:otherwise><xsl:apply-templates select="." mode="text"/></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <xsl:apply-templates select="node()[not(self::tei:label and count(preceding-sibling::tei:label) = 0)]" mode="text"/>
      </p>
    </div>
  </xsl:template>

  <xsl:template match="tei:lb" mode="text"><br/></xsl:template>

  <xsl:template match="tei:pb" mode="text"/>

  <!-- A page break of the original: a line of its own between blocks, inline in a block. -->
  <xsl:template match="tei:fw[@type = 'pageNum']" mode="text">
    <xsl:variable name="marker">
      <xsl:call-template name="insertion">
        <xsl:with-param name="class" select="'ins-page'"/>
        <xsl:with-param name="what" select="'page of the original'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="parent::tei:div"><p class="page-break"><xsl:copy-of select="$marker"/></p></xsl:when>
      <xsl:otherwise><span class="page-break"><xsl:copy-of select="$marker"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:date" mode="text">
    <time>
      <xsl:if test="@when"><xsl:attribute name="datetime"><xsl:value-of select="@when"/></xsl:attribute></xsl:if>
      <xsl:apply-templates mode="text"/>
    </time>
  </xsl:template>

  <xsl:template match="tei:choice" mode="text">
    <xsl:apply-templates mode="text"/>
  </xsl:template>

  <xsl:template match="tei:abbr" mode="text">
    <abbr class="abbr"><xsl:apply-templates mode="text"/></abbr>
  </xsl:template>

  <xsl:template match="tei:expan" mode="text">
    <xsl:call-template name="insertion">
      <xsl:with-param name="class" select="'ins-expan'"/>
      <xsl:with-param name="what" select="'expansion'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="text">
    <xsl:call-template name="insertion">
      <xsl:with-param name="class" select="'ins-supplied'"/>
      <xsl:with-param name="what">
        <xsl:choose>
          <xsl:when test="@reason = 'name-part'">supplied part of a name</xsl:when>
          <xsl:otherwise>supplied words</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:note[@place = 'inline']" mode="text">
    <xsl:call-template name="insertion">
      <xsl:with-param name="class">
        <xsl:choose>
          <xsl:when test="@type = 'sic'">ins-sic</xsl:when>
          <xsl:otherwise>ins-note</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="what">
        <xsl:choose>
          <xsl:when test="@type = 'gloss'">gloss</xsl:when>
          <xsl:when test="@type = 'alternative'">alternative translation</xsl:when>
          <xsl:when test="@type = 'literal'">literal translation</xsl:when>
          <xsl:when test="@type = 'codename'">explanation of a codename</xsl:when>
          <xsl:when test="@type = 'sic'">sic, so in the original</xsl:when>
          <xsl:when test="@type = 'signed'">note that the original was signed</xsl:when>
          <xsl:otherwise>note</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:gap" mode="text">
    <xsl:call-template name="insertion">
      <xsl:with-param name="class" select="'ins-gap'"/>
      <xsl:with-param name="what">
        <xsl:choose>
          <xsl:when test="@reason = 'illegible'">illegible</xsl:when>
          <xsl:when test="@reason = 'garbled'">garbled in transmission</xsl:when>
          <xsl:otherwise>omission</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="content"><xsl:apply-templates select="tei:desc/node()" mode="text"/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- An insertion of the translator or the editors: its brackets, its kind said in words
       for a screen reader and in a tooltip, its class for the eye. -->
  <xsl:template name="insertion">
    <xsl:param name="class"/>
    <xsl:param name="what"/>
    <xsl:param name="content"><xsl:apply-templates mode="text"/></xsl:param>
    <xsl:variable name="who">
      <xsl:choose>
        <xsl:when test="substring(@resp, string-length(@resp) - 10) = '.translator'">Translator’s</xsl:when>
        <xsl:when test="substring(@resp, string-length(@resp) - 7) = '.editors'">Editors’</xsl:when>
        <xsl:otherwise>Editorial</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <span class="ins {$class}" title="{$who} {$what}">
      <xsl:if test="@rend = 'brackets'"><span class="br">[</span></xsl:if>
      <span class="vh"><xsl:value-of select="concat($who, ' ', $what, ': ')"/></span>
      <xsl:copy-of select="$content"/>
      <xsl:if test="@rend = 'brackets'"><span class="br">]</span></xsl:if>
    </span>
  </xsl:template>

  <xsl:template match="tei:ref[@type = 'noteref']" mode="text">
    <xsl:variable name="target" select="substring-after(@target, '#')"/>
    <xsl:variable name="n" select="count(preceding::tei:ref[@type = 'noteref']) + 1"/>
    <sup class="noteref">
      <xsl:choose>
        <xsl:when test="starts-with(@target, '#') and id($target)[@xml:id = $target]">
          <a id="{$doc-id}.noteref{$n}" href="#{$target}" aria-label="Note {normalize-space(.)}">
            <xsl:if test="@rend = 'brackets'">[</xsl:if><xsl:apply-templates mode="text"/><xsl:if test="@rend = 'brackets'">]</xsl:if>
          </a>
        </xsl:when>
        <xsl:otherwise>
          <xsl:if test="@rend = 'brackets'">[</xsl:if><xsl:apply-templates mode="text"/><xsl:if test="@rend = 'brackets'">]</xsl:if>
        </xsl:otherwise>
      </xsl:choose>
    </sup>
  </xsl:template>

  <!-- Names: a link to the register entry (the first candidate where there are several),
       described by the entry's card below; a name the recognizer proposed (no @ref, but
       @cert or @resp) links to the list of proposed names; a name with neither, or whose
       @ref points at no entry, is plain text.  A name inside another is not a second link. -->
  <xsl:template match="tei:persName" mode="text">
    <xsl:call-template name="name-in-text">
      <xsl:with-param name="type" select="'person'"/>
      <xsl:with-param name="folder" select="'persons'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:placeName" mode="text">
    <xsl:call-template name="name-in-text">
      <xsl:with-param name="type" select="'place'"/>
      <xsl:with-param name="folder" select="'places'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:orgName" mode="text">
    <xsl:call-template name="name-in-text">
      <xsl:with-param name="type" select="'org'"/>
      <xsl:with-param name="folder" select="'organizations'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The ids of the entries a name points at: one pointer (most names) is looked up at
       once; a list of them goes through "local-refs". -->
  <xsl:template name="name-in-text">
    <xsl:param name="type"/>
    <xsl:param name="folder"/>
    <xsl:variable name="ref" select="normalize-space(@ref)"/>
    <xsl:choose>
      <xsl:when test="contains($ref, ' ')">
        <xsl:variable name="refs"><xsl:call-template name="local-refs"><xsl:with-param name="list" select="$ref"/></xsl:call-template></xsl:variable>
        <xsl:call-template name="name-link">
          <xsl:with-param name="type" select="$type"/>
          <xsl:with-param name="folder" select="$folder"/>
          <xsl:with-param name="ids" select="normalize-space($refs)"/>
        </xsl:call-template>
      </xsl:when>
      <!-- Most names: one pointer to an entry, not inside another name.  The link that
           "name-link" makes of it, made here at once (a third of the time of a page). -->
      <xsl:when test="starts-with($ref, '#') and key('entry', substring($ref, 2)) and not(ancestor::tei:persName or ancestor::tei:placeName or ancestor::tei:orgName)">
        <a class="ent ent-{$type}" href="{$root}{$folder}/{substring($ref, 2)}.html" data-refs="{substring($ref, 2)}" aria-describedby="{substring($ref, 2)}"><xsl:apply-templates mode="text"/></a>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="name-link">
          <xsl:with-param name="type" select="$type"/>
          <xsl:with-param name="folder" select="$folder"/>
          <xsl:with-param name="ids" select="substring($ref, 2, string-length($ref) * (starts-with($ref, '#') and boolean(key('entry', substring($ref, 2)))))"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="name-link">
    <xsl:param name="type"/>
    <xsl:param name="folder"/>
    <xsl:param name="ids"/>
    <xsl:variable name="first" select="substring-before(concat($ids, ' '), ' ')"/>
    <xsl:variable name="several" select="contains($ids, ' ')"/>
    <xsl:choose>
      <xsl:when test="ancestor::tei:persName or ancestor::tei:placeName or ancestor::tei:orgName">
        <span class="ent-inner"><xsl:apply-templates mode="text"/></span>
      </xsl:when>
      <xsl:when test="$first != '' and key('entry', $first)">
        <a class="ent ent-{$type}{substring(' ent-ambiguous', 1, 14 * $several)}" href="{$root}{$folder}/{$first}.html" data-refs="{$ids}">
          <xsl:attribute name="aria-describedby">
            <xsl:if test="$several">desc-ambiguous </xsl:if>
            <xsl:value-of select="$ids"/>
          </xsl:attribute>
          <xsl:apply-templates mode="text"/>
        </a>
      </xsl:when>
      <xsl:when test="not(@ref) and (@cert or @resp)">
        <a class="ent ent-{$type} ent-proposed" href="{$root}proposed-{$folder}.html" aria-describedby="desc-proposed">
          <xsl:if test="@cert"><xsl:attribute name="data-cert"><xsl:value-of select="@cert"/></xsl:attribute></xsl:if>
          <xsl:apply-templates mode="text"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="ent-unlinked"><xsl:apply-templates mode="text"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "#a #b" -> "a b", keeping only the local pointers that have an entry. -->
  <!-- ' id ' for each '#id' of a list of pointers -->
  <xsl:template name="ref-ids">
    <xsl:param name="list"/>
    <xsl:if test="$list != ''">
      <xsl:variable name="token" select="substring-before(concat($list, ' '), ' ')"/>
      <xsl:if test="starts-with($token, '#')">
        <xsl:value-of select="concat(' ', substring($token, 2), ' ')"/>
      </xsl:if>
      <xsl:call-template name="ref-ids"><xsl:with-param name="list" select="substring-after($list, ' ')"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="local-refs">
    <xsl:param name="list"/>
    <xsl:if test="$list != ''">
      <xsl:variable name="token" select="substring-before(concat($list, ' '), ' ')"/>
      <xsl:if test="starts-with($token, '#') and key('entry', substring($token, 2))">
        <xsl:value-of select="concat(substring($token, 2), ' ')"/>
      </xsl:if>
      <xsl:call-template name="local-refs"><xsl:with-param name="list" select="substring-after($list, ' ')"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:hi | tei:seg | tei:rs | tei:name | tei:num | tei:measure | tei:term" mode="text">
    <span class="{local-name()}"><xsl:apply-templates select="@xml:lang" mode="text"/><xsl:apply-templates mode="text"/></span>
  </xsl:template>

  <xsl:template match="tei:foreign" mode="text">
    <i class="foreign"><xsl:apply-templates select="@xml:lang" mode="text"/><xsl:apply-templates mode="text"/></i>
  </xsl:template>

  <xsl:template match="tei:title" mode="text">
    <cite><xsl:apply-templates mode="text"/></cite>
  </xsl:template>

  <!-- A control character of the source, kept in the TEI as <g type="control" n="U+0007">. -->
  <xsl:template match="tei:g[@type = 'control']" mode="text">
    <span class="ctrl" title="control character {@n}">[<xsl:value-of select="@n"/>]</span>
  </xsl:template>

  <!-- ================================================================= names in the document -->

  <!-- The entries the document names (its standOff may hold more: the country of a city). -->
  <xsl:template name="names">
    <xsl:variable name="all" select="/tei:TEI/tei:standOff//tei:person[@xml:id] | /tei:TEI/tei:standOff//tei:place[@xml:id] | /tei:TEI/tei:standOff//tei:org[@xml:id]"/>
    <!-- An entry is named when a name points at it alone (key "pointer"), or among others:
         ' id ' for every '#id' of the names with several pointers. -->
    <xsl:variable name="named-ids">
      <xsl:for-each select="$names[contains(normalize-space(@ref), ' ')]">
        <xsl:call-template name="ref-ids"><xsl:with-param name="list" select="normalize-space(@ref)"/></xsl:call-template>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="entries" select="$all[key('pointer', concat('#', @xml:id)) or contains($named-ids, concat(' ', @xml:id, ' '))]"/>
    <xsl:variable name="proposed" select="$names[not(@ref) and (@cert or @resp)]"/>
    <xsl:if test="$entries or $proposed">
      <section class="names" id="names" aria-labelledby="names-h">
        <h2 id="names-h">Names in this document</h2>
        <xsl:call-template name="name-group">
          <xsl:with-param name="entries" select="$entries[self::tei:person]"/>
          <xsl:with-param name="heading" select="'Persons'"/>
          <xsl:with-param name="folder" select="'persons'"/>
        </xsl:call-template>
        <xsl:call-template name="name-group">
          <xsl:with-param name="entries" select="$entries[self::tei:place]"/>
          <xsl:with-param name="heading" select="'Places'"/>
          <xsl:with-param name="folder" select="'places'"/>
        </xsl:call-template>
        <xsl:call-template name="name-group">
          <xsl:with-param name="entries" select="$entries[self::tei:org]"/>
          <xsl:with-param name="heading" select="'Organizations'"/>
          <xsl:with-param name="folder" select="'organizations'"/>
        </xsl:call-template>
        <xsl:if test="$proposed">
          <h3>Names proposed by the recognizer</h3>
          <p>Found by the automatic name recognizer and not yet checked against the register:</p>
          <ul class="proposed">
            <xsl:for-each select="$proposed">
              <li>
                <xsl:value-of select="normalize-space(.)"/>
                <xsl:text> (</xsl:text>
                <xsl:choose>
                  <xsl:when test="self::tei:persName">person</xsl:when>
                  <xsl:when test="self::tei:placeName">place</xsl:when>
                  <xsl:otherwise>organization</xsl:otherwise>
                </xsl:choose>
                <xsl:if test="@cert">; certainty <xsl:value-of select="@cert"/></xsl:if>
                <xsl:text>)</xsl:text>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:if>
        <span hidden="hidden" id="desc-proposed">A name proposed by the automatic recognizer, not yet checked against the register.</span>
        <span hidden="hidden" id="desc-ambiguous">Uncertain: this name may refer to any of these entries.</span>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="name-group">
    <xsl:param name="entries"/>
    <xsl:param name="heading"/>
    <xsl:param name="folder"/>
    <xsl:if test="$entries">
      <h3><xsl:value-of select="$heading"/></h3>
      <ul class="cards">
        <xsl:for-each select="$entries">
          <xsl:sort select="normalize-space((tei:persName | tei:placeName | tei:orgName)[@type = 'preferred'][1])"/>
          <li>
            <div class="card card-{local-name()}">
              <div class="card-body" id="{@xml:id}">
                <xsl:apply-templates select="." mode="card"/>
              </div>
              <p class="card-more"><a href="{$root}{$folder}/{@xml:id}.html">In the register, with every occurrence</a></p>
            </div>
          </li>
        </xsl:for-each>
      </ul>
    </xsl:if>
  </xsl:template>

  <!-- ================================================================= previous / next -->

  <xsl:template name="pager">
    <xsl:if test="$prev-href != '' or $next-href != ''">
      <nav class="pager" aria-label="Previous and next document">
        <ul>
          <xsl:if test="$prev-href != ''">
            <li class="prev"><a rel="prev" href="{$prev-href}"><span class="pager-dir">Previous</span><xsl:text> </xsl:text><span class="pager-title"><xsl:value-of select="$prev-title"/></span></a></li>
          </xsl:if>
          <xsl:if test="$next-href != ''">
            <li class="next"><a rel="next" href="{$next-href}"><span class="pager-dir">Next</span><xsl:text> </xsl:text><span class="pager-title"><xsl:value-of select="$next-title"/></span></a></li>
          </xsl:if>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- ================================================================= citation -->

  <xsl:template name="citation">
    <xsl:text>“</xsl:text>
    <xsl:value-of select="$title"/>
    <xsl:text>,” </xsl:text>
    <xsl:choose>
      <xsl:when test="normalize-space($date) != ''"><xsl:value-of select="normalize-space($date)"/></xsl:when>
      <xsl:otherwise>undated</xsl:otherwise>
    </xsl:choose>
    <xsl:if test="normalize-space($ms/tei:repository) != ''">
      <xsl:text>, </xsl:text>
      <xsl:value-of select="normalize-space($ms/tei:repository)"/>
    </xsl:if>
    <xsl:if test="normalize-space($ms/tei:idno[@type = 'reference']) != ''">
      <xsl:text>, </xsl:text>
      <xsl:value-of select="normalize-space($ms/tei:idno[@type = 'reference'])"/>
    </xsl:if>
    <xsl:if test="normalize-space($ms/tei:settlement) != ''">
      <xsl:text>, </xsl:text>
      <xsl:value-of select="normalize-space($ms/tei:settlement)"/>
    </xsl:if>
    <xsl:text>.</xsl:text>
    <xsl:if test="normalize-space($translator/tei:persName) != ''">
      <xsl:text> Translated by </xsl:text>
      <xsl:value-of select="normalize-space($translator/tei:persName)"/>
      <xsl:text>.</xsl:text>
    </xsl:if>
    <xsl:variable name="publisher" select="normalize-space($h/tei:fileDesc/tei:publicationStmt/tei:publisher)"/>
    <xsl:if test="$publisher != ''">
      <xsl:text> </xsl:text>
      <xsl:value-of select="$publisher"/>
      <xsl:variable name="record" select="normalize-space($h/tei:fileDesc/tei:publicationStmt/tei:idno[@type = 'record'])"/>
      <xsl:if test="$record != ''">
        <xsl:text>, record </xsl:text>
        <xsl:value-of select="$record"/>
      </xsl:if>
      <xsl:text>.</xsl:text>
    </xsl:if>
    <xsl:text> In </xsl:text>
    <cite><xsl:value-of select="$site-title"/></cite>
    <xsl:text>, TEI edition, document </xsl:text>
    <xsl:value-of select="$doc-id"/>
    <xsl:text>.</xsl:text>
    <xsl:call-template name="page-url"><xsl:with-param name="path" select="$self"/></xsl:call-template>
    <xsl:text> To cite a passage, add the number beside it (¶ 3) and link to it.</xsl:text>
  </xsl:template>

</xsl:stylesheet>
