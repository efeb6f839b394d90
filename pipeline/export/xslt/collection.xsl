<?xml version="1.0" encoding="UTF-8"?>
<!--
  collection.xsl: the pages about the whole edition.  XSLT 1.0.  Parameter "page":
    home      the list of documents (index.html)
    person    the register of persons (persons.html), place (places.html), org
              (organizations.html): a light list, each entry linking to its own page
    entry     an entry's own page (persons/ID.html ...): its card, every passage naming it
    proposed  the names of one type the recognizer proposed, with their passages
              (proposed-persons.html ...)
    search    the search page (search.html)

  Input: the edition summary pipeline/export/edition.py makes from the TEI files (no
  namespace; register entries are the TEI elements themselves, copied):

    <edition title="" count="" first="" last="" register="person|place|org" proposed-page="">
      <description>…</description>
      <document name="" id="" href="" tei="" text="" when="" sort="" date="" title=""
                kind="" classification="" archive=""/>
      <entry id="" type="person|place|org" page="" href="" name="" letter="" passages=""
             documents="">
        <tei:person>…</tei:person>
        <doc name="" href="" title="" date="">
          <in href="" label="" before="" match="" after="" candidates=""/>
        </doc>
      </entry>
      <proposed type="" text="" cert="" documents=""> <doc …> <in …/> </doc> </proposed>
    </edition>

  (The occurrences, <doc> and <in>, are left out by pipeline/export/edition.py, which puts
  in their lists as html_pieces.py writes them, byte for byte as template "occurrences".)
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="tei">

  <xsl:import href="layout.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:param name="page" select="'home'"/>

  <xsl:variable name="e" select="/edition"/>

  <!-- The entries by type and letter (the register's index by letter). -->
  <xsl:key name="letter" match="entry" use="concat(@type, ' ', @letter)"/>

  <!-- The type of the register a page is about, and its list page and heading. -->
  <xsl:variable name="kind" select="concat($e/@register, $e/entry[$page = 'entry']/@type)"/>
  <xsl:variable name="register-page">
    <xsl:choose>
      <xsl:when test="$kind = 'person'">persons.html</xsl:when>
      <xsl:when test="$kind = 'place'">places.html</xsl:when>
      <xsl:otherwise>organizations.html</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="register-heading">
    <xsl:choose>
      <xsl:when test="$kind = 'person'">Persons</xsl:when>
      <xsl:when test="$kind = 'place'">Places</xsl:when>
      <xsl:otherwise>Organizations</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:variable name="heading">
      <xsl:choose>
        <xsl:when test="$page = 'person' or $page = 'place' or $page = 'org'"><xsl:value-of select="$register-heading"/></xsl:when>
        <xsl:when test="$page = 'entry'"><xsl:value-of select="$e/entry/@name"/></xsl:when>
        <xsl:when test="$page = 'proposed'"><xsl:value-of select="$register-heading"/> proposed by the recognizer</xsl:when>
        <xsl:when test="$page = 'search'">Search</xsl:when>
        <xsl:otherwise><xsl:value-of select="$site-title"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="file">
      <xsl:choose>
        <xsl:when test="$page = 'person' or $page = 'place' or $page = 'org'"><xsl:value-of select="$register-page"/></xsl:when>
        <xsl:when test="$page = 'entry'"><xsl:value-of select="$e/entry/@href"/></xsl:when>
        <xsl:when test="$page = 'proposed'"><xsl:value-of select="$e/@proposed-page"/></xsl:when>
        <xsl:when test="$page = 'search'">search.html</xsl:when>
        <xsl:otherwise>index.html</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="string($heading)"/>
      <xsl:with-param name="root" select="substring('../', 1, 3 * ($page = 'entry'))"/>
      <xsl:with-param name="current" select="$page"/>
      <xsl:with-param name="page-class" select="concat($page, '-page')"/>
      <xsl:with-param name="header-search" select="$page != 'search'"/>
      <xsl:with-param name="scripts">
        <xsl:if test="$page = 'home'">table</xsl:if>
        <xsl:if test="$page = 'search'">search</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="citation">
        <xsl:if test="$page = 'entry'">
          <xsl:value-of select="$heading"/>
          <xsl:text>. In </xsl:text>
        </xsl:if>
        <cite><xsl:value-of select="$site-title"/></cite>
        <xsl:choose>
          <!-- not the number of documents: a document added would make every entry's page again -->
          <xsl:when test="$page = 'entry'">
            <xsl:text>, TEI edition: </xsl:text>
            <xsl:value-of select="$register-heading"/>
          </xsl:when>
          <xsl:otherwise>
        <xsl:text>, TEI edition of </xsl:text>
        <xsl:value-of select="$e/@count"/>
        <xsl:text> documents</xsl:text>
        <xsl:if test="$page != 'home'">
          <xsl:text>: </xsl:text>
          <xsl:value-of select="$heading"/>
        </xsl:if>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:text>. Built with teipipe </xsl:text>
        <xsl:value-of select="$version"/>
        <xsl:text>.</xsl:text>
        <xsl:call-template name="page-url"><xsl:with-param name="path" select="$file"/></xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="body">
        <xsl:choose>
          <xsl:when test="$page = 'search'"><xsl:call-template name="search"/></xsl:when>
          <xsl:when test="$page = 'home'"><xsl:call-template name="home"/></xsl:when>
          <xsl:when test="$page = 'entry'"><xsl:apply-templates select="$e/entry" mode="page"/></xsl:when>
          <xsl:when test="$page = 'proposed'"><xsl:call-template name="proposed-page"/></xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="register">
              <xsl:with-param name="heading" select="string($heading)"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ================================================================= home -->

  <xsl:template name="home">
    <h1><xsl:value-of select="$site-title"/></h1>
    <p class="lead"><xsl:value-of select="$e/description"/></p>
    <p>
      <xsl:value-of select="$e/@count"/>
      <xsl:text> documents</xsl:text>
      <xsl:if test="$e/@first != ''">
        <xsl:text>, dated </xsl:text>
        <xsl:value-of select="$e/@first"/>
        <xsl:if test="$e/@last != $e/@first">–<xsl:value-of select="$e/@last"/></xsl:if>
      </xsl:if>
      <xsl:text>. Browse the registers of </xsl:text>
      <a href="persons.html">persons</a>, <a href="places.html">places</a> and
      <a href="organizations.html">organizations</a>, or <a href="search.html">search the texts</a>.
    </p>
    <section class="documents" aria-labelledby="docs-h">
      <h2 id="docs-h">Documents</h2>
      <div class="table-tools" hidden="hidden">
        <label for="doc-filter">Filter the documents</label>
        <input id="doc-filter" type="search" autocomplete="off" aria-controls="doc-table" aria-describedby="doc-filter-status"/>
        <p id="doc-filter-status" class="status" role="status"></p>
      </div>
      <div class="table-wrap" role="region" aria-labelledby="doc-caption" tabindex="0">
        <table id="doc-table" class="doc-table sortable">
          <caption id="doc-caption">The documents of the edition, oldest first</caption>
          <thead>
            <tr>
              <th scope="col" data-sort-type="text" aria-sort="ascending">Date</th>
              <th scope="col" data-sort-type="text">Title</th>
              <th scope="col" data-sort-type="text">Kind</th>
              <th scope="col" data-sort-type="text">Archive</th>
              <th scope="col">Files</th>
            </tr>
          </thead>
          <tbody>
            <xsl:apply-templates select="$e/document" mode="row"/>
          </tbody>
        </table>
      </div>
    </section>
    <section class="about" aria-labelledby="about-h">
      <h2 id="about-h">About this edition</h2>
      <p>Each document is given as its archive’s web page gives it, character for character, with its structure (openings, numbered paragraphs, lists, sections, speakers, signatures) marked in TEI.
        The translator’s and the editors’ insertions keep their square brackets and are told apart by kind: expansions of abbreviations, supplied words, glosses and other notes, omissions.
        Persons, places and organizations named in the texts link to their entries in the registers, each of which lists every passage that names it.</p>
      <p>Every passage has its own address: the number beside it (¶ 3) is the one to cite.
        Each document can be downloaded as TEI XML and as plain text.</p>
    </section>
  </xsl:template>

  <!-- A document's row in the table of the home page. -->
  <xsl:template match="document" mode="row">
    <tr>
      <td data-sort="{@sort}" data-label="Date">
        <xsl:choose>
          <xsl:when test="@when != ''"><time datetime="{@when}"><xsl:value-of select="@date"/></time></xsl:when>
          <xsl:otherwise>Undated</xsl:otherwise>
        </xsl:choose>
      </td>
      <td><a href="{@href}"><xsl:value-of select="@title"/></a></td>
      <td data-label="Kind"><xsl:value-of select="@kind"/>
        <xsl:if test="@classification != ''"><span class="classification"><xsl:text> · </xsl:text><xsl:value-of select="@classification"/></span></xsl:if>
      </td>
      <td data-label="Archive"><xsl:value-of select="@archive"/></td>
      <td class="files" data-label="Files">
        <a href="{@tei}" download="" aria-label="TEI XML of {@title}">TEI</a>
        <xsl:text> · </xsl:text>
        <a href="{@text}" download="" aria-label="Plain text of {@title}">Text</a>
      </td>
    </tr>
  </xsl:template>

  <!-- ================================================================= registers -->

  <!-- A register: a light list of its entries, each a link to its own page, under an id of
       its own (links to "persons.html#ID" of earlier editions land on it and link on). -->
  <xsl:template name="register">
    <xsl:param name="heading"/>
    <xsl:variable name="entries" select="$e/entry[@type = $page]"/>
    <xsl:variable name="proposed" select="$e/proposed[@type = $page]"/>
    <xsl:variable name="noun">
      <xsl:choose>
        <xsl:when test="$page = 'person'">person</xsl:when>
        <xsl:when test="$page = 'place'">place</xsl:when>
        <xsl:otherwise>organization</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <h1><xsl:value-of select="$heading"/></h1>
    <p class="lead">
      <xsl:choose>
        <xsl:when test="count($entries) = 1">One <xsl:value-of select="$noun"/> is</xsl:when>
        <xsl:when test="$entries"><xsl:value-of select="count($entries)"/><xsl:text> </xsl:text><xsl:value-of select="translate($heading, 'POA', 'poa')"/> are</xsl:when>
        <xsl:otherwise>No <xsl:value-of select="translate($heading, 'POA', 'poa')"/> are</xsl:otherwise>
      </xsl:choose>
      <xsl:text> named in the documents and linked to the register. Each has a page of its own with every passage that names it, with the words around the name.</xsl:text>
      <xsl:if test="$proposed"> Names the recognizer proposed but nobody has checked yet are <a href="#proposed">listed at the end</a>.</xsl:if>
    </p>
    <xsl:if test="count($entries) &gt; 12">
      <nav class="az" aria-label="{$heading} by letter">
        <ul>
          <!-- the first entry of each letter (a key, not a look back at every entry before
               each: that was quadratic, a tenth of a second for 562 places) -->
          <xsl:for-each select="$entries[generate-id() = generate-id(key('letter', concat($page, ' ', @letter))[1])]">
            <li><a href="#{@id}"><xsl:value-of select="@letter"/></a></li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
    <xsl:if test="$entries">
      <ul class="register-list">
        <xsl:for-each select="$entries">
          <li class="register-row card-{@type}" id="{@id}">
            <a class="entry-link" href="{@href}"><xsl:value-of select="@name"/></a>
            <xsl:for-each select="tei:*">
              <xsl:text> </xsl:text>
              <span class="entry-kind"><xsl:call-template name="entry-type"/></span>
              <xsl:variable name="dates"><xsl:call-template name="entry-dates"/></xsl:variable>
              <xsl:if test="normalize-space($dates) != ''">
                <xsl:text> · </xsl:text>
                <span class="entry-dates"><xsl:value-of select="normalize-space($dates)"/></span>
              </xsl:if>
              <xsl:for-each select="(tei:note[@type = 'description'] | tei:desc)[1]">
                <xsl:text> </xsl:text>
                <span class="entry-desc"><xsl:value-of select="normalize-space(.)"/></span>
              </xsl:for-each>
            </xsl:for-each>
            <xsl:text> </xsl:text>
            <span class="entry-count">
              <xsl:call-template name="plural"><xsl:with-param name="n" select="@documents"/><xsl:with-param name="word" select="'document'"/></xsl:call-template>
            </span>
          </li>
        </xsl:for-each>
      </ul>
    </xsl:if>
    <xsl:if test="$proposed">
      <section class="proposed" id="proposed" aria-labelledby="proposed-h">
        <h2 id="proposed-h">Names proposed by the recognizer</h2>
        <p>The automatic name recognizer found these names; nobody has checked them against the register yet. <a href="{$e/@proposed-page}">Their passages</a> are on a page of their own.</p>
        <ul class="proposed-list">
          <xsl:for-each select="$proposed">
            <li>
              <strong><xsl:value-of select="@text"/></strong>
              <xsl:if test="@cert != ''"> (certainty: <xsl:value-of select="@cert"/>)</xsl:if>
              <xsl:text>, in </xsl:text>
              <xsl:call-template name="plural"><xsl:with-param name="n" select="@documents"/><xsl:with-param name="word" select="'document'"/></xsl:call-template>
            </li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- An entry's own page: its card, and every passage that names it. -->
  <xsl:template match="entry" mode="page">
    <p class="register-back"><a href="../{@page}#{@id}">All <xsl:value-of select="translate($register-heading, 'POA', 'poa')"/></a></p>
    <article class="entry card-{@type}" id="{@id}" aria-labelledby="{@id}-name">
      <h1 id="{@id}-name"><xsl:value-of select="@name"/></h1>
      <xsl:apply-templates select="tei:*" mode="card">
        <xsl:with-param name="with-name" select="false()"/>
      </xsl:apply-templates>
      <p class="entry-count">
        <xsl:text>Named in </xsl:text>
        <xsl:call-template name="plural"><xsl:with-param name="n" select="@passages"/><xsl:with-param name="word" select="'passage'"/></xsl:call-template>
        <xsl:text> of </xsl:text>
        <xsl:call-template name="plural"><xsl:with-param name="n" select="@documents"/><xsl:with-param name="word" select="'document'"/></xsl:call-template>
        <xsl:text>. </xsl:text>
        <a href="../search.html?entity={@id}">Search these passages</a>
      </p>
      <section class="passages" aria-labelledby="passages-h">
        <h2 id="passages-h">Passages</h2>
        <xsl:call-template name="occurrences"/>
      </section>
    </article>
  </xsl:template>

  <!-- The names of one type the recognizer proposed, with their passages. -->
  <xsl:template name="proposed-page">
    <p class="register-back"><a href="{$register-page}#proposed">All <xsl:value-of select="translate($register-heading, 'POA', 'poa')"/></a></p>
    <h1><xsl:value-of select="$register-heading"/> proposed by the recognizer</h1>
    <p class="lead">The automatic name recognizer found these names; nobody has checked them against the register yet, so they link nowhere else.</p>
    <ul class="proposed-list">
      <xsl:for-each select="$e/proposed">
        <li>
          <strong><xsl:value-of select="@text"/></strong>
          <xsl:if test="@cert != ''"> (certainty: <xsl:value-of select="@cert"/>)</xsl:if>
          <xsl:call-template name="occurrences"/>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <xsl:template name="plural">
    <xsl:param name="n"/>
    <xsl:param name="word"/>
    <xsl:value-of select="$n"/>
    <xsl:text> </xsl:text>
    <xsl:value-of select="$word"/>
    <xsl:if test="$n != 1">s</xsl:if>
  </xsl:template>

  <xsl:template name="occurrences">
    <ul class="occurrences">
      <xsl:for-each select="doc">
        <li>
          <a class="occ-doc" href="{@href}"><xsl:value-of select="@title"/></a>
          <xsl:if test="@date != ''">
            <xsl:text>, </xsl:text>
            <span class="occ-date"><xsl:value-of select="@date"/></span>
          </xsl:if>
          <ul>
            <xsl:for-each select="in">
              <li>
                <a class="occ-passage" href="{@href}"><xsl:value-of select="@label"/></a>
                <xsl:text> </xsl:text>
                <span class="snippet">
                  <xsl:value-of select="@before"/>
                  <mark><xsl:value-of select="@match"/></mark>
                  <xsl:value-of select="@after"/>
                </span>
                <xsl:if test="@candidates &gt; 1">
                  <xsl:text> </xsl:text>
                  <span class="uncertain">(uncertain: one of <xsl:value-of select="@candidates"/> possible identifications)</span>
                </xsl:if>
              </li>
            </xsl:for-each>
          </ul>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <!-- ================================================================= search -->

  <xsl:template name="search">
    <h1>Search</h1>
    <form id="search-form" class="search-form" role="search" aria-label="Edition" action="search.html" method="get">
      <div class="field">
        <label for="q">Words</label>
        <input id="q" name="q" type="search" autocomplete="off" aria-describedby="q-help"/>
      </div>
      <div class="field">
        <label for="entity">Passages naming</label>
        <select id="entity" name="entity">
          <option value="">anyone or anything</option>
          <xsl:call-template name="entity-options"><xsl:with-param name="type" select="'person'"/><xsl:with-param name="label" select="'Persons'"/></xsl:call-template>
          <xsl:call-template name="entity-options"><xsl:with-param name="type" select="'place'"/><xsl:with-param name="label" select="'Places'"/></xsl:call-template>
          <xsl:call-template name="entity-options"><xsl:with-param name="type" select="'org'"/><xsl:with-param name="label" select="'Organizations'"/></xsl:call-template>
        </select>
      </div>
      <button type="submit">Search</button>
      <p id="q-help" class="help">Whole words, in any order. Put a phrase in quotes (“four-party conference”); end a word with * to find the words that begin with it (bomb* finds bombing). Case and accents do not matter.</p>
    </form>
    <p id="search-status" class="status" role="status"></p>
    <div id="results" class="results"></div>
    <noscript><p>The search runs in your browser and needs JavaScript. Without it, the registers of <a href="persons.html">persons</a>, <a href="places.html">places</a> and <a href="organizations.html">organizations</a> lead to every passage that names each of them.</p></noscript>
  </xsl:template>

  <xsl:template name="entity-options">
    <xsl:param name="type"/>
    <xsl:param name="label"/>
    <xsl:if test="$e/entry[@type = $type]">
      <optgroup label="{$label}">
        <xsl:for-each select="$e/entry[@type = $type]">
          <option value="{@id}"><xsl:value-of select="@name"/> (<xsl:value-of select="@passages"/>)</option>
        </xsl:for-each>
      </optgroup>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
