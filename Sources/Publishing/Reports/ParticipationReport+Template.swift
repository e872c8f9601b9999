extension ParticipationReport {
    /// The HTML page (swift-mustache; `{{{…}}}` only for the SVG made by `barChart`/`heatMap`).
    static let template = """
        <!DOCTYPE html>
        <html lang="de">
        <head>
        <meta charset="utf-8">
        <meta name="generator" content="{{stamp}}">
        <title>Teilnahme an Gremien, {{period}}</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #111; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
        table { border-collapse: collapse; width: 100%; font-size: 0.85em; margin: 0.5em 0; }
        th, td { border: 1px solid #999; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
        td.n { text-align: right; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dt { font-weight: bold; } dd { margin: 0; word-break: break-all; }
        figure { margin: 1em 0; } svg { max-width: 100%; height: auto; } figcaption { font-size: 0.85em; color: #444; }
        @media print { body { margin: 0; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
        </style>
        </head>
        <body>
        <h1>Teilnahme an Gremien</h1>
        <dl>
        <dt>Zeitraum</dt><dd>{{period}}</dd>
        <dt>Auswahl</dt><dd>{{filter}}</dd>
        <dt>Erstellt</dt><dd>{{madeAt}}</dd>
        <dt>Kettenkopf</dt><dd>{{head}}</dd>
        </dl>
        <p>Gehalten heißt: nicht abgesagt und bei Erstellung begonnen. Ein Büro gilt als anwesend, wenn mindestens eine Person
        (oder eine Vertretung) anwesend war. Prüfen: <code>gremien audit verify --report DATEI</code>.</p>

        <h2 id="bueros">Teilnahme je Büro</h2>
        <figure>
        {{{chart}}}
        <figcaption>Anteil der gehaltenen Sitzungen mit Sitz, bei denen das Büro anwesend war.</figcaption>
        </figure>
        <table>
        <thead><tr><th scope="col">Büro</th><th scope="col">Gremien (Rolle)</th><th scope="col">erwartet</th><th scope="col">anwesend</th><th scope="col">entschuldigt</th><th scope="col">unentschuldigt</th><th scope="col">nicht erfasst</th><th scope="col">Quote</th><th scope="col">Personenstunden</th></tr></thead>
        <tbody>
        {{#offices}}
        <tr><th scope="row">{{short}}<br><small>{{name}}</small></th><td>{{seats}}</td><td class="n">{{expected}}</td><td class="n">{{attended}}</td><td class="n">{{excused}}</td><td class="n">{{absent}}</td><td class="n">{{unrecorded}}</td><td class="n">{{rate}}</td><td class="n">{{hours}}</td></tr>
        {{/offices}}
        </tbody>
        </table>

        <h2 id="paare">Zusammenarbeit je Paar von Büros</h2>
        <figure>
        {{{heatmap}}}
        <figcaption>Gehaltene Sitzungen, bei denen beide Büros anwesend waren (Zeile: Büro, Spalte: Partner).</figcaption>
        </figure>
        <table>
        <thead><tr><th scope="col">Büro</th><th scope="col">Partner</th><th scope="col">gemeinsame Gremien</th><th scope="col">gemeinsame Sitzungen</th><th scope="col">Büro anwesend</th><th scope="col">Partner anwesend</th><th scope="col">beide anwesend</th><th scope="col">Sitzungsarten</th><th scope="col">Rechtsgrundlagen</th><th scope="col">Vereinbarungen</th></tr></thead>
        <tbody>
        {{#pairs}}
        <tr><th scope="row">{{office}}</th><td>{{partner}}</td><td>{{bodies}}</td><td class="n">{{joint}}</td><td class="n">{{officeAttended}}</td><td class="n">{{partnerAttended}}</td><td class="n">{{both}}</td><td>{{kinds}}</td><td>{{legal}}</td><td>{{agreements}}</td></tr>
        {{/pairs}}
        </tbody>
        </table>

        <h2 id="gremien">Sitzungen je Gremium</h2>
        <table>
        <thead><tr><th scope="col">Gremium</th><th scope="col">Art</th><th scope="col">geplant</th><th scope="col">gehalten</th><th scope="col">abgesagt</th><th scope="col">verlegt</th><th scope="col">anstehend</th><th scope="col">Teilnahme (anwesend/erwartet)</th><th scope="col">Beschlussfähigkeit</th><th scope="col">Protokolle</th></tr></thead>
        <tbody>
        {{#bodies}}
        <tr><th scope="row">{{name}}{{archived}}</th><td>{{kind}}</td><td class="n">{{planned}}</td><td class="n">{{held}}</td><td class="n">{{cancelled}}</td><td class="n">{{moved}}</td><td class="n">{{upcoming}}</td><td>{{attendance}}</td><td>{{quorum}}</td><td>{{minutes}}</td></tr>
        {{/bodies}}
        </tbody>
        </table>
        </body>
        </html>

        """
}

extension ParticipationReport {
    /// Version 2 of the HTML page: rates over the sessions with something recorded and "nicht
    /// erfasst" apart, the sessions behind each figure, each pair once, laid out for A4 (fixed
    /// table layout, long words wrapped, pictures scaled to the page).
    static let templateV2 = """
        <!DOCTYPE html>
        <html lang="de">
        <head>
        <meta charset="utf-8">
        <meta name="generator" content="{{stamp}}">
        <title>Teilnahme an Gremien, {{period}}</title>
        <style>
        @page { size: A4 portrait; margin: 14mm 12mm; }
        body { font-family: sans-serif; color: #111; font-size: 10pt; margin: 0; }
        @media screen { body { margin: 2em auto; max-width: 60em; } }
        h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.6em; } h3 { font-size: 11pt; margin: 0.8em 0 0.2em; }
        table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 8pt; margin: 0.5em 0; }
        th, td { border: 1px solid #999; padding: 0.2em 0.3em; text-align: left; vertical-align: top; overflow-wrap: anywhere; hyphens: auto; }
        td.n { text-align: right; } thead th { overflow-wrap: normal; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dt { font-weight: bold; } dd { margin: 0; overflow-wrap: anywhere; }
        figure { margin: 1em 0; } svg { max-width: 100%; height: auto; } figcaption { font-size: 8pt; color: #444; }
        p.liste { font-size: 8pt; margin: 0 0 0.4em; overflow-wrap: anywhere; }
        @media print { h2, h3 { break-after: avoid; } tr, figure { break-inside: avoid; } }
        </style>
        </head>
        <body>
        <h1>Teilnahme an Gremien</h1>
        <dl>
        <dt>Zeitraum</dt><dd>{{period}}</dd>
        <dt>Auswahl</dt><dd>{{filter}}</dd>
        <dt>Erstellt</dt><dd>{{madeAt}}</dd>
        <dt>Kettenkopf</dt><dd>{{head}}</dd>
        </dl>
        <p>Gehalten heißt: nicht abgesagt und bei Erstellung begonnen. Ein Büro gilt als anwesend, wenn mindestens eine Person
        (oder eine Vertretung) anwesend war. Die Quote bezieht sich auf die Sitzungen, zu denen für das Büro etwas erfasst ist;
        Sitzungen ohne Erfassung stehen gesondert unter „nicht erfasst“ und zählen nicht als Abwesenheit.
        Prüfen: <code>gremien audit verify --report DATEI</code>.</p>

        <h2 id="bueros">Teilnahme je Büro</h2>
        <figure>
        {{{chart}}}
        <figcaption>Anteil der erfassten gehaltenen Sitzungen mit Sitz, bei denen das Büro anwesend war.</figcaption>
        </figure>
        <table>
        <colgroup><col style="width: 14%"><col style="width: 26%"><col span="6" style="width: 7%"><col style="width: 9%"><col style="width: 9%"></colgroup>
        <thead><tr><th scope="col">Büro</th><th scope="col">Gremien (Rolle)</th><th scope="col">er&shy;wartet</th><th scope="col">er&shy;fasst</th><th scope="col">an&shy;wesend</th><th scope="col">ent&shy;schul&shy;digt</th><th scope="col">un&shy;ent&shy;schul&shy;digt</th><th scope="col">nicht er&shy;fasst</th><th scope="col">Quote (von er&shy;fassten)</th><th scope="col">Personen&shy;stunden</th></tr></thead>
        <tbody>
        {{#offices}}
        <tr><th scope="row">{{short}}<br><small>{{name}}</small></th><td>{{seats}}</td><td class="n">{{expected}}</td><td class="n">{{recorded}}</td><td class="n">{{attended}}</td><td class="n">{{excused}}</td><td class="n">{{absent}}</td><td class="n">{{unrecorded}}</td><td class="n">{{rate}}</td><td class="n">{{hours}}</td></tr>
        {{/offices}}
        </tbody>
        </table>

        <h2 id="paare">Zusammenarbeit je Paar von Büros</h2>
        <figure>
        {{{heatmap}}}
        <figcaption>Gehaltene Sitzungen, bei denen beide Büros anwesend waren (Zeile: Büro, Spalte: Partner). Paare ohne gemeinsame gehaltene Sitzung sind nicht aufgeführt, wenn nicht alle Paare verlangt wurden.</figcaption>
        </figure>
        <table>
        <colgroup><col style="width: 8%"><col style="width: 8%"><col style="width: 18%"><col span="4" style="width: 7%"><col style="width: 11%"><col style="width: 13%"><col style="width: 14%"></colgroup>
        <thead><tr><th scope="col">Büro</th><th scope="col">Partner</th><th scope="col">gemein&shy;same Gremien</th><th scope="col">gemein&shy;same Sitzun&shy;gen</th><th scope="col">Büro an&shy;wesend</th><th scope="col">Partner an&shy;wesend</th><th scope="col">beide an&shy;wesend</th><th scope="col">Sitzungs&shy;arten</th><th scope="col">Rechts&shy;grund&shy;lagen</th><th scope="col">Verein&shy;barungen</th></tr></thead>
        <tbody>
        {{#pairs}}
        <tr><th scope="row">{{office}}</th><td>{{partner}}</td><td>{{bodies}}</td><td class="n">{{joint}}</td><td class="n">{{officeAttended}}</td><td class="n">{{partnerAttended}}</td><td class="n">{{both}}</td><td>{{kinds}}</td><td>{{legal}}</td><td>{{agreements}}</td></tr>
        {{/pairs}}
        {{^pairs}}<tr><td colspan="10">Keine Paare mit gemeinsamer gehaltener Sitzung im Zeitraum.</td></tr>{{/pairs}}
        </tbody>
        </table>

        <h2 id="gremien">Sitzungen je Gremium</h2>
        <table>
        <colgroup><col style="width: 17%"><col style="width: 10%"><col span="5" style="width: 6.4%"><col style="width: 20%"><col style="width: 10%"><col style="width: 11%"></colgroup>
        <thead><tr><th scope="col">Gremium</th><th scope="col">Art</th><th scope="col">ge&shy;plant</th><th scope="col">ge&shy;halten</th><th scope="col">ab&shy;gesagt</th><th scope="col">ver&shy;legt</th><th scope="col">an&shy;stehend</th><th scope="col">Teilnahme (anwesend/&shy;erfasst)</th><th scope="col">Beschluss&shy;fähigkeit</th><th scope="col">Proto&shy;kolle</th></tr></thead>
        <tbody>
        {{#bodies}}
        <tr><th scope="row">{{name}}{{archived}}</th><td>{{kind}}</td><td class="n">{{planned}}</td><td class="n">{{held}}</td><td class="n">{{cancelled}}</td><td class="n">{{moved}}</td><td class="n">{{upcoming}}</td><td>{{attendance}}</td><td>{{quorum}}</td><td>{{minutes}}</td></tr>
        {{/bodies}}
        </tbody>
        </table>

        <h2 id="sitzungen">Die Sitzungen hinter den Zahlen</h2>
        <h3>Je Büro (gehaltene Sitzungen mit Sitz)</h3>
        {{#offices}}<p class="liste"><strong>{{short}}</strong>: {{{sessions}}}{{^sessions}}keine{{/sessions}}</p>
        {{/offices}}
        <h3>Je Gremium</h3>
        {{#bodies}}<p class="liste"><strong>{{name}}</strong>: {{{sessions}}}{{^sessions}}keine{{/sessions}}</p>
        {{/bodies}}
        </body>
        </html>

        """
}
