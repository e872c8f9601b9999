import Mustache

/// The coordinators' pages (German, no JavaScript), compiled into the program.
enum WebPages {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [
            ("layout", layout), ("login", login), ("overview", overview), ("session", session), ("error", error),
            ("sessionTable", sessionTable),
        ] {
            if let t = try? MustacheTemplate(string: text) { library.register(t, named: name) }
        }
        return library
    }()

    static func render(_ view: Any, _ name: String) -> String {
        library.render(view, withTemplate: name) ?? ""
    }

    static let layout = """
        <!DOCTYPE html>
        <html lang="de">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} – Gremien</title>
        <style>
        body { font-family: sans-serif; margin: 0; color: #111; line-height: 1.4; }
        header, main { padding: 0.8em 1.5em; } header { background: #2f5d8a; color: #fff; }
        header a { color: #fff; } header button { color: #2f5d8a; background: #fff; border: 1px solid #fff; } nav form { display: inline; }
        table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; }
        fieldset { margin: 0.6em 0; } label { display: inline-block; min-width: 9em; }
        .hinweis { background: #e8f3e8; border: 1px solid #7a7; padding: 0.5em; }
        .fehler { background: #fbe9e9; border: 1px solid #c77; padding: 0.5em; }
        .feldfehler { color: #a00; font-weight: bold; }
        button { padding: 0.3em 0.8em; }
        </style>
        </head>
        <body>
        <header><strong>Gremien</strong> – {{district}}
        {{#user}}<nav> · angemeldet: {{user}} · <a href="/">Übersicht</a>
        <form method="post" action="/abmelden"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Abmelden</button></form></nav>{{/user}}
        </header>
        <main>
        {{$content}}{{/content}}
        </main>
        </body>
        </html>

        """

    static let login = """
        {{<layout}}{{$content}}
        <h1>Anmelden</h1>
        {{#error}}<p class="fehler" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/anmelden">
        {{#back}}<input type="hidden" name="zurueck" value="{{back}}">{{/back}}
        <p><label for="token">API-Token</label>
        <input id="token" name="token" type="password" autocomplete="off" required size="50"></p>
        <p><button type="submit">Anmelden</button></p>
        </form>
        <p>Ein Token stellt die Koordination aus: <code>gremien token issue --person NAME --kind api --role coordinator --body ID</code>.</p>
        {{/content}}{{/layout}}
        """

    static let overview = """
        {{<layout}}{{$content}}
        <h1>Übersicht</h1>
        <p>Rolle: {{role}}{{#bodiesText}}; Gremien: {{bodiesText}}{{/bodiesText}}</p>
        <form method="get" action="/">
        <p><label for="gremium">Gremium</label>
        <select id="gremium" name="gremium"{{#gremiumError}} aria-invalid="true" aria-describedby="gremium_fehler"{{/gremiumError}}>{{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/choices}}</select>{{#gremiumError}} <span class="feldfehler" id="gremium_fehler">{{gremiumError}}</span>{{/gremiumError}}</p>
        <p><label for="von">Von</label>
        <input id="von" name="von" type="date" value="{{von}}"{{#vonError}} aria-invalid="true" aria-describedby="von_fehler"{{/vonError}}>{{#vonError}} <span class="feldfehler" id="von_fehler">{{vonError}}</span>{{/vonError}}</p>
        <p><label for="bis">Bis</label>
        <input id="bis" name="bis" type="date" value="{{bis}}"{{#bisError}} aria-invalid="true" aria-describedby="bis_fehler"{{/bisError}}>{{#bisError}} <span class="feldfehler" id="bis_fehler">{{bisError}}</span>{{/bisError}}</p>
        <p><button type="submit">Anzeigen</button></p>
        </form>
        <p>Zeitraum: {{period}}</p>
        <h2>Offene Arbeiten</h2>
        {{^hasOpenWork}}<p>Keine: in den letzten 90 Tagen ist zu jeder Sitzung die Anwesenheit erfasst und die Niederschrift genehmigt, und keine Aufgabe ist überfällig.</p>{{/hasOpenWork}}
        {{#hasOpenWork}}
        {{#withoutAttendance}}<h3>Sitzungen ohne erfasste Anwesenheit</h3>
        <ul>{{#items}}<li><a href="{{link}}">{{date}}</a> {{body}}</li>{{/items}}</ul>{{/withoutAttendance}}
        {{#notApproved}}<h3>Niederschriften noch nicht genehmigt</h3>
        <ul>{{#items}}<li><a href="{{link}}">{{date}}</a> {{body}}</li>{{/items}}</ul>{{/notApproved}}
        {{#overdue}}<h3>Überfällige Aufgaben</h3>
        <ul>{{#items}}<li><a href="{{link}}">{{text}}</a> – {{office}}, Frist {{due}}</li>{{/items}}</ul>{{/overdue}}
        {{/hasOpenWork}}
        <h2>Vergangene Sitzungen</h2>
        {{#past}}{{> sessionTable}}{{/past}}{{^past}}<p>Im Zeitraum keine.</p>{{/past}}
        <h2>Kommende Sitzungen</h2>
        {{#coming}}{{> sessionTable}}{{/coming}}{{^coming}}<p>Im Zeitraum keine.</p>{{/coming}}
        <h2>Gremien und Abonnements</h2>
        <ul>
        {{#bodies}}<li>{{name}}: <a href="{{webcal}}">webcal://</a> · <a href="{{https}}">{{scheme}}://</a></li>
        {{/bodies}}
        <li>Alle Sitzungen: <a href="{{allWebcal}}">webcal://</a> · <a href="{{allHttps}}">{{scheme}}://</a></li>
        </ul>
        {{/content}}{{/layout}}
        """

    static let session = """
        {{<layout}}{{$content}}
        <h1>{{body}}</h1>
        <p>{{when}}{{#location}} · {{location}}{{/location}} · {{status}}</p>
        {{#saved}}<p class="hinweis" role="status">Die Anwesenheit ist gespeichert.</p>{{/saved}}
        {{#notice}}<p class="hinweis" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="fehler" role="alert">{{error}}</p>{{/error}}
        <h2>Anwesenheit</h2>
        {{#canWrite}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#rows}}
        <fieldset>
        <legend>{{officeName}} ({{role}})</legend>
        <input type="hidden" name="office_{{index}}" value="{{office}}">
        <p><label for="status_{{index}}">Status</label>
        <select id="status_{{index}}" name="status_{{index}}"{{#statusError}} aria-invalid="true" aria-describedby="status_{{index}}_fehler"{{/statusError}}>
        <option value="">– nicht erfasst –</option>
        {{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}
        </select>{{#statusError}} <span class="feldfehler" id="status_{{index}}_fehler">{{statusError}}</span>{{/statusError}}</p>
        <p><label for="person_{{index}}">Person (optional)</label>
        <input id="person_{{index}}" name="person_{{index}}" value="{{person}}"{{#personError}} aria-invalid="true" aria-describedby="person_{{index}}_fehler"{{/personError}}>{{#personError}} <span class="feldfehler" id="person_{{index}}_fehler">{{personError}}</span>{{/personError}}</p>
        <p><label for="deputy_{{index}}">Vertreten durch</label>
        <input id="deputy_{{index}}" name="deputy_{{index}}" value="{{deputy}}"{{#deputyError}} aria-invalid="true" aria-describedby="deputy_{{index}}_fehler"{{/deputyError}}>{{#deputyError}} <span class="feldfehler" id="deputy_{{index}}_fehler">{{deputyError}}</span>{{/deputyError}}</p>
        </fieldset>
        {{/rows}}
        <p><button type="submit">Anwesenheit speichern</button></p>
        </form>
        {{/canWrite}}
        {{^canWrite}}
        <table>
        <thead><tr><th scope="col">Amt</th><th scope="col">Rolle</th><th scope="col">Status</th></tr></thead>
        <tbody>{{#rows}}<tr><td>{{officeName}}</td><td>{{role}}</td><td>{{current}}</td></tr>{{/rows}}</tbody>
        </table>
        <p>{{readOnly}}</p>
        {{/canWrite}}
        <h2>Niederschrift</h2>
        <p>Stand: {{minutesState}}</p>
        <p>Vorlage herunterladen: <a href="{{minutes}}.md">Markdown</a> · <a href="{{minutes}}.html">HTML</a> · <a href="{{minutes}}.odt">ODT (LibreOffice, Word)</a></p>
        {{#canChange}}
        {{^approved}}
        <form method="post" action="{{base}}/niederschrift/genehmigen{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><button type="submit">Niederschrift genehmigen (sperrt die Anwesenheit)</button></p>
        </form>
        {{/approved}}
        {{#approved}}
        <form method="post" action="{{base}}/niederschrift/wiedereroeffnen{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="grund_wieder">Grund für das Wiedereröffnen</label>
        <input id="grund_wieder" name="grund_wieder" value="{{typed.grund_wieder}}" required size="40">
        <button type="submit">Niederschrift wieder öffnen</button></p>
        </form>
        {{/approved}}
        {{/canChange}}
        <h2>Aufgaben aus dieser Sitzung</h2>
        {{^actions}}<p>Keine.</p>{{/actions}}
        {{#actions}}
        <table>
        <thead><tr><th scope="col">Aufgabe</th><th scope="col">Zuständig</th><th scope="col">Frist</th><th scope="col">Stand</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{text}}</td><td>{{office}}</td><td>{{due}}</td><td>{{state}}{{#open}}{{#canChange}}
        <form method="post" action="{{base}}/aufgaben/{{id}}/erledigt{{query}}"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">erledigt</button></form>{{/canChange}}{{/open}}</td></tr>{{/items}}</tbody>
        </table>
        {{/actions}}
        {{#canChange}}
        <form method="post" action="{{base}}/aufgaben{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="aufgabe">Neue Aufgabe</label>
        <input id="aufgabe" name="aufgabe" value="{{typed.aufgabe}}" required size="40"></p>
        <p><label for="zustaendig">Zuständiges Amt</label>
        <select id="zustaendig" name="zustaendig">{{#offices}}<option value="{{value}}">{{label}}</option>{{/offices}}</select></p>
        <p><label for="frist">Frist (optional)</label>
        <input id="frist" name="frist" type="date" value="{{typed.frist}}"></p>
        <p><button type="submit">Aufgabe hinzufügen</button></p>
        </form>
        {{/canChange}}
        {{#canCancel}}
        <h2>Sitzung absagen oder verlegen</h2>
        <form method="post" action="{{base}}/absagen{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="grund_absage">Grund der Absage</label>
        <input id="grund_absage" name="grund_absage" value="{{typed.grund_absage}}" required size="40">
        <button type="submit">Sitzung absagen</button></p>
        </form>
        <form method="post" action="{{base}}/verlegen{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="neu_datum">Neues Datum</label>
        <input id="neu_datum" name="datum" type="date" value="{{typed.datum}}" required></p>
        <p><label for="neu_zeit">Beginn</label>
        <input id="neu_zeit" name="zeit" type="time" value="{{typed.zeit}}" required></p>
        <p><label for="grund_verlegung">Grund (optional)</label>
        <input id="grund_verlegung" name="grund_verlegung" value="{{typed.grund_verlegung}}" size="40"></p>
        <p><button type="submit">Sitzung verlegen</button></p>
        </form>
        {{/canCancel}}
        <h2>Abonnieren</h2>
        <p>{{body}}: <a href="{{webcal}}">webcal://</a> · <a href="{{https}}">{{scheme}}://</a></p>
        {{/content}}{{/layout}}
        """

    static let error = """
        {{<layout}}{{$content}}
        <h1>{{heading}}</h1>
        <p class="fehler" role="alert">{{detail}}</p>
        <p>Fehlercode {{status}} · <a href="/">Zur Übersicht</a></p>
        {{/content}}{{/layout}}
        """

    /// A table of sessions (`items`), for the overview's past and coming sessions.
    static let sessionTable = """
        <table>
        <thead><tr><th scope="col">Datum</th><th scope="col">Zeit</th><th scope="col">Gremium</th><th scope="col">Status</th></tr></thead>
        <tbody>
        {{#items}}<tr><td><a href="{{link}}">{{date}}</a></td><td>{{time}}</td><td>{{body}}</td><td>{{status}}</td></tr>
        {{/items}}
        </tbody>
        </table>
        """
}
