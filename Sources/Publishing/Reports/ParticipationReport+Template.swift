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
