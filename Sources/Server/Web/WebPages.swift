import Mustache

/// The coordinators' pages (German, no JavaScript), compiled into the program.
enum WebPages {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [
            ("layout", layout), ("login", login), ("overview", overview), ("session", session), ("error", error),
            ("sessionTable", sessionTable), ("link", link), ("reply", reply), ("account", account),
            ("body", body), ("calendar", calendar), ("people", people), ("access", access), ("audit", audit),
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
        .knoepfe form { display: inline; } .zeile { border-top: 1px dotted #999; padding-top: 0.3em; }
        header a { color: #fff; } header button { color: #2f5d8a; background: #fff; border: 1px solid #fff; } nav form { display: inline; }
        table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; }
        fieldset { margin: 0.6em 0; } label { display: inline-block; min-width: 9em; }
        .hinweis { background: #e8f3e8; border: 1px solid #7a7; padding: 0.5em; }
        .fehler { background: #fbe9e9; border: 1px solid #c77; padding: 0.5em; }
        .feldfehler { color: #a00; font-weight: bold; }
        .hinweise { border: 2px solid #8a4b00; background: #fff4e0; padding: 0 1em; }
        button { padding: 0.3em 0.8em; }
        </style>
        </head>
        <body>
        <header><strong>Gremien</strong> – {{district}}
        {{#user}}<nav aria-label="Hauptmenü"> · angemeldet: {{user}} ·
        {{#menu}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a> · {{/menu}}
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
        <p><label for="email">E-Mail-Adresse</label>
        <input id="email" name="email" type="email" autocomplete="email" value="{{email}}" size="40"></p>
        <p><label for="passwort">Passwort</label>
        <input id="passwort" name="passwort" type="password" autocomplete="current-password" size="40"></p>
        <p><button type="submit">Anmelden</button></p>
        </form>
        <p>Noch kein Passwort oder vergessen? Die Administration gibt Ihnen einen Anmeldelink; danach legen Sie unter „Konto“ Ihr Passwort fest.</p>
        <details><summary>Mit einem API-Token anmelden (Programme und Administration)</summary>
        <form method="post" action="/anmelden">
        {{#back}}<input type="hidden" name="zurueck" value="{{back}}">{{/back}}
        <p><label for="token">API-Token</label>
        <input id="token" name="token" type="password" size="50"></p>
        <p><button type="submit">Mit Token anmelden</button></p>
        </form></details>
        {{/content}}{{/layout}}
        """

    static let link = """
        {{<layout}}{{$content}}
        <h1>Anmelden mit Link</h1>
        {{#error}}<p class="fehler" role="alert">{{error}}</p><p><a href="/">Zur Anmeldung</a></p>{{/error}}
        {{^error}}
        <p>Dieser Link meldet Sie einmal an; danach legen Sie Ihr Passwort fest.</p>
        <form method="post" action="/anmelden/link">
        <input type="hidden" name="link" value="{{link}}">
        <p><button type="submit">Jetzt anmelden</button></p>
        </form>
        {{/error}}
        {{/content}}{{/layout}}
        """

    static let reply = """
        {{<layout}}{{$content}}
        <h1>Antwort auf die Einladung</h1>
        {{#error}}<p class="fehler" role="alert">{{error}}</p>{{/error}}
        {{#done}}<p class="hinweis" role="status">{{done}}</p>{{/done}}
        {{#ask}}
        <p>{{name}}, {{question}}</p>
        <p>{{session}}</p>
        <form method="post" action="/antwort/{{secret}}">
        <p><button type="submit">{{button}}</button></p>
        </form>
        <p>Sie können Ihre Antwort bis zum Beginn der Sitzung mit dem anderen Link der Einladung ändern.</p>
        {{/ask}}
        {{/content}}{{/layout}}
        """

    static let account = """
        {{<layout}}{{$content}}
        <h1>Konto</h1>
        {{#notice}}<p class="hinweis" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="fehler" role="alert">{{error}}</p>{{/error}}
        <p>E-Mail-Adresse: {{email}}{{^email}}(Anmeldung mit API-Token){{/email}} · Rollen: {{roles}}</p>
        {{#email}}
        <h2>Passwort {{#hasPassword}}ändern{{/hasPassword}}{{^hasPassword}}festlegen{{/hasPassword}}</h2>
        <form method="post" action="/konto/passwort">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#hasPassword}}<p><label for="bisher">Bisheriges Passwort</label>
        <input id="bisher" name="bisher" type="password" autocomplete="current-password"{{#currentError}} aria-invalid="true" aria-describedby="bisher_fehler"{{/currentError}}>{{#currentError}} <span class="feldfehler" id="bisher_fehler">{{currentError}}</span>{{/currentError}}</p>{{/hasPassword}}
        <p><label for="neu">Neues Passwort</label>
        <input id="neu" name="neu" type="password" autocomplete="new-password" minlength="{{shortest}}"{{#newError}} aria-invalid="true" aria-describedby="neu_fehler"{{/newError}}>{{#newError}} <span class="feldfehler" id="neu_fehler">{{newError}}</span>{{/newError}}</p>
        <p><label for="wiederholung">Wiederholung</label>
        <input id="wiederholung" name="wiederholung" type="password" autocomplete="new-password"{{#repeatError}} aria-invalid="true" aria-describedby="wiederholung_fehler"{{/repeatError}}>{{#repeatError}} <span class="feldfehler" id="wiederholung_fehler">{{repeatError}}</span>{{/repeatError}}</p>
        <p>Mindestens {{shortest}} Zeichen.</p>
        <p><button type="submit">Speichern</button></p>
        </form>
        {{/email}}
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
        {{#bodies}}<li><a href="{{link}}">{{name}}</a>: <a href="{{webcal}}">webcal://</a> · <a href="{{https}}">{{scheme}}://</a></li>
        {{/bodies}}
        <li>Alle Sitzungen: <a href="{{allWebcal}}">webcal://</a> · <a href="{{allHttps}}">{{scheme}}://</a></li>
        </ul>
        {{/content}}{{/layout}}
        """

    static let session = """
        {{<layout}}{{$content}}
        <h1>{{body}}</h1>
        <p>{{when}}{{#location}} · {{location}}{{/location}} · {{status}}</p>
        {{#change}}<p><strong>{{change}}</strong></p>{{/change}}
        {{#saved}}<p class="hinweis" role="status">Die Anwesenheit ist gespeichert.</p>{{/saved}}
        {{#notice}}<p class="hinweis" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="fehler" role="alert">{{error}}</p>{{/error}}
        <h2>Anwesenheit</h2>
        {{#canWrite}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p>Je Amt eine Zeile je Person; die leere Zeile trägt eine weitere Person ein. „nicht erfasst“ bei einer gespeicherten Zeile oder „entfernen“ nimmt sie heraus (mit Grund).</p>
        {{#groups}}
        <fieldset>
        <legend>{{officeName}} ({{role}})</legend>
        {{#seated}}<p class="sitz">{{seated}}</p>{{/seated}}
        {{#rows}}
        <div class="zeile">
        <input type="hidden" name="office_{{index}}" value="{{office}}">
        {{#stored}}<input type="hidden" name="orig_{{index}}" value="{{original}}">{{/stored}}
        {{#guest}}<p><label for="office_wahl_{{index}}">Amt</label> <select id="office_wahl_{{index}}" name="gast_{{index}}">{{#guestOffices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/guestOffices}}</select></p>{{/guest}}
        <p><label for="person_{{index}}">Person</label>
        <input id="person_{{index}}" name="person_{{index}}" value="{{person}}"{{#personError}} aria-invalid="true" aria-describedby="person_{{index}}_fehler"{{/personError}}>{{#personError}} <span class="feldfehler" id="person_{{index}}_fehler">{{personError}}</span>{{/personError}}</p>
        <p><label for="status_{{index}}">Status</label>
        <select id="status_{{index}}" name="status_{{index}}"{{#statusError}} aria-invalid="true" aria-describedby="status_{{index}}_fehler"{{/statusError}}>
        <option value="">– nicht erfasst –</option>
        {{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}
        </select>{{#statusError}} <span class="feldfehler" id="status_{{index}}_fehler">{{statusError}}</span>{{/statusError}}</p>
        <p><label for="deputy_{{index}}">Vertreten durch</label>
        <input id="deputy_{{index}}" name="deputy_{{index}}" value="{{deputy}}"{{#deputyError}} aria-invalid="true" aria-describedby="deputy_{{index}}_fehler"{{/deputyError}}>{{#deputyError}} <span class="feldfehler" id="deputy_{{index}}_fehler">{{deputyError}}</span>{{/deputyError}}</p>
        <p><label for="arrival_{{index}}">Gekommen um</label>
        <input id="arrival_{{index}}" name="arrival_{{index}}" type="time" value="{{arrival}}"{{#arrivalError}} aria-invalid="true" aria-describedby="arrival_{{index}}_fehler"{{/arrivalError}}>{{#arrivalError}} <span class="feldfehler" id="arrival_{{index}}_fehler">{{arrivalError}}</span>{{/arrivalError}}
        <label for="departure_{{index}}">Gegangen um</label>
        <input id="departure_{{index}}" name="departure_{{index}}" type="time" value="{{departure}}"{{#departureError}} aria-invalid="true" aria-describedby="departure_{{index}}_fehler"{{/departureError}}>{{#departureError}} <span class="feldfehler" id="departure_{{index}}_fehler">{{departureError}}</span>{{/departureError}}</p>
        {{#stored}}<p><input type="checkbox" id="remove_{{index}}" name="remove_{{index}}" value="1"{{#removeChecked}} checked{{/removeChecked}}> <label for="remove_{{index}}">Eintrag entfernen</label></p>{{/stored}}
        </div>
        {{/rows}}
        </fieldset>
        {{/groups}}
        <p><label for="grund">Grund (bei Korrektur oder Entfernen)</label>
        <input id="grund" name="grund" value="{{typed.grund}}" size="50"{{#reasonError}} aria-invalid="true" aria-describedby="grund_fehler"{{/reasonError}}>{{#reasonError}} <span class="feldfehler" id="grund_fehler">{{reasonError}}</span>{{/reasonError}}</p>
        <p><button type="submit">Anwesenheit speichern</button></p>
        </form>
        {{/canWrite}}
        {{^canWrite}}
        <table>
        <thead><tr><th scope="col">Amt</th><th scope="col">Rolle</th><th scope="col">Sitz</th><th scope="col">Erfasst</th></tr></thead>
        <tbody>{{#groups}}<tr><td>{{officeName}}</td><td>{{role}}</td><td>{{seated}}</td><td>{{current}}</td></tr>{{/groups}}</tbody>
        </table>
        <p>{{readOnly}}</p>
        {{/canWrite}}
        {{#quorum}}<p><strong>Beschlussfähigkeit:</strong> {{quorum}}</p>{{/quorum}}
        <h2>Tagesordnung</h2>
        {{^agenda}}<p>Noch keine Punkte.</p>{{/agenda}}
        {{#agenda}}<ol>
        {{#items}}<li value="{{number}}">{{text}}{{#standing}} <small>(fester Punkt der Reihe)</small>{{/standing}}{{^isPublic}} <small>(nicht öffentlich)</small>{{/isPublic}}
        {{#canEditAgenda}}<span class="knoepfe">
        {{^first}}<form method="post" action="{{base}}/tagesordnung/{{position}}/hoch{{query}}"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" aria-label="Punkt {{number}} nach oben">nach oben</button></form>{{/first}}
        {{^last}}<form method="post" action="{{base}}/tagesordnung/{{position}}/runter{{query}}"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" aria-label="Punkt {{number}} nach unten">nach unten</button></form>{{/last}}
        {{^standing}}<form method="post" action="{{base}}/tagesordnung/{{position}}/entfernen{{query}}"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" aria-label="Punkt {{number}} entfernen">entfernen</button></form>{{/standing}}
        </span>{{/canEditAgenda}}</li>{{/items}}
        </ol>{{/agenda}}
        {{#canEditAgenda}}
        <form method="post" action="{{base}}/tagesordnung{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="punkt">Neuer Punkt</label>
        <input id="punkt" name="punkt" value="{{typed.punkt}}" required size="50">
        <button type="submit">Punkt hinzufügen</button></p>
        <p><small>Ein neuer Punkt kommt vor „Verschiedenes“. Feste Punkte der Reihe lassen sich verschieben, nicht entfernen.</small></p>
        </form>
        {{/canEditAgenda}}
        {{#ladung}}<h2>Ladung</h2>
        <p>{{ladung}}</p>
        {{#canSendLadung}}<form method="post" action="{{base}}/ladung{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><button type="submit">Ladung jetzt versenden</button> <small>an alle mit Sitz in diesem Gremium, mit Tagesordnung und Ort; danach geht sie nicht noch einmal von selbst hinaus</small></p>
        </form>{{/canSendLadung}}{{/ladung}}
        {{#canChange}}{{#approved}}<p>Die Niederschrift ist genehmigt: Tagesordnung, Inhalt, Aufgaben und Anwesenheit sind gesperrt.</p>{{/approved}}{{/canChange}}
        <h2>Niederschrift</h2>
        <p>Stand: {{minutesState}}</p>
        {{#canWriteMinutes}}
        {{#caseDiscussion}}<p class="hinweis"><strong>Fallbesprechung:</strong> In keinem Feld dürfen Namen von Klientinnen und Klienten oder Falldaten stehen – höchstens ein Aktenzeichen und ob die Einwilligung vorliegt.</p>{{/caseDiscussion}}
        <form method="post" action="{{base}}/niederschrift/inhalt{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="stand" value="{{revision}}">
        <fieldset><legend>Sitzungsdaten</legend>
        <p><label for="beginn">Tatsächlicher Beginn</label>
        <input id="beginn" name="beginn" value="{{began}}" placeholder="SS:MM" size="6"{{#beganError}} aria-invalid="true" aria-describedby="beginn_fehler"{{/beganError}}>{{#beganError}} <span class="feldfehler" id="beginn_fehler">{{beganError}}</span>{{/beganError}}
        <label for="ende">Tatsächliches Ende</label>
        <input id="ende" name="ende" value="{{ended}}" placeholder="SS:MM" size="6"{{#endedError}} aria-invalid="true" aria-describedby="ende_fehler"{{/endedError}}>{{#endedError}} <span class="feldfehler" id="ende_fehler">{{endedError}}</span>{{/endedError}}</p>
        <p><label for="protokoll">Protokoll geführt von</label>
        <input id="protokoll" name="protokoll" value="{{minuteTaker}}" size="40"{{#takerError}} aria-invalid="true" aria-describedby="protokoll_fehler"{{/takerError}}>{{#takerError}} <span class="feldfehler" id="protokoll_fehler">{{takerError}}</span>{{/takerError}}</p>
        </fieldset>
        {{#agenda}}{{#items}}
        <fieldset><legend>TOP {{number}}: {{text}}</legend>
        <p><label for="diskussion_{{id}}">Verlauf der Beratung</label>{{#caseDiscussion}} <small id="diskussion_{{id}}_regel">Keine Namen von Klientinnen und Klienten, keine Falldaten.</small>{{/caseDiscussion}}<br>
        <textarea id="diskussion_{{id}}" name="diskussion_{{id}}" rows="4" cols="70"{{#caseDiscussion}} aria-describedby="diskussion_{{id}}_regel"{{/caseDiscussion}}{{#discussionError}} aria-invalid="true"{{/discussionError}}>{{discussion}}</textarea>{{#discussionError}} <span class="feldfehler">{{discussionError}}</span>{{/discussionError}}</p>
        <p><label for="ergebnis_{{id}}">Ergebnis und Beschlüsse</label>{{#caseDiscussion}} <small id="ergebnis_{{id}}_regel">Keine Namen von Klientinnen und Klienten, keine Falldaten.</small>{{/caseDiscussion}}<br>
        <textarea id="ergebnis_{{id}}" name="ergebnis_{{id}}" rows="3" cols="70"{{#caseDiscussion}} aria-describedby="ergebnis_{{id}}_regel"{{/caseDiscussion}}{{#resultsError}} aria-invalid="true"{{/resultsError}}>{{results}}</textarea>{{#resultsError}} <span class="feldfehler">{{resultsError}}</span>{{/resultsError}}</p>
        <p><input type="checkbox" id="oeffentlich_{{id}}" name="oeffentlich_{{id}}" value="1"{{#isPublic}} checked{{/isPublic}}> <label for="oeffentlich_{{id}}">öffentlicher Punkt</label></p>
        </fieldset>
        {{/items}}{{/agenda}}
        <p><button type="submit">Niederschrift speichern</button></p>
        </form>
        <h3>Abstimmungen</h3>
        {{#agenda}}{{#items}}
        <div class="abstimmung">
        <p><strong>TOP {{number}}: {{text}}</strong></p>
        {{#hasVotes}}<ul>{{#votes}}<li>{{text}} <form method="post" action="{{base}}/niederschrift/punkte/{{id}}/abstimmungen/{{index}}/entfernen{{query}}"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="stand" value="{{revision}}"><button type="submit">entfernen</button></form></li>{{/votes}}</ul>{{/hasVotes}}
        <form method="post" action="{{base}}/niederschrift/punkte/{{id}}/abstimmungen{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="stand" value="{{revision}}"><input type="hidden" name="abstimmung_top" value="{{id}}">
        <p><label for="gegenstand_{{id}}">Abgestimmt über</label> <input id="gegenstand_{{id}}" name="gegenstand" value="{{voteSubject}}" size="40">
        <label for="ja_{{id}}">Ja</label> <input id="ja_{{id}}" name="ja" value="{{voteYes}}" size="3" inputmode="numeric">
        <label for="nein_{{id}}">Nein</label> <input id="nein_{{id}}" name="nein" value="{{voteNo}}" size="3" inputmode="numeric">
        <label for="enthaltung_{{id}}">Enthaltungen</label> <input id="enthaltung_{{id}}" name="enthaltung" value="{{voteAbstentions}}" size="3" inputmode="numeric">
        {{#hasQuorumRule}}<label for="beschlussfaehig_{{id}}">Beschlussfähig bei der Abstimmung</label> <select id="beschlussfaehig_{{id}}" name="beschlussfaehig"><option value="ja">ja</option><option value="nein">nein</option><option value="">nicht festgestellt</option></select>{{/hasQuorumRule}}
        <button type="submit">Abstimmung eintragen</button>{{#voteError}} <span class="feldfehler" role="alert">{{voteError}}</span>{{/voteError}}</p>
        </form>
        </div>
        {{/items}}{{/agenda}}
        {{/canWriteMinutes}}
        {{^canWriteMinutes}}{{#showContent}}
        {{#shownTimes}}<p>Tatsächliche Zeit: {{shownTimes}}</p>{{/shownTimes}}
        {{#shownTaker}}<p>Protokoll: {{shownTaker}}</p>{{/shownTaker}}
        {{#agenda}}{{#items}}{{#hasText}}
        <h3>TOP {{number}}: {{text}}</h3>
        {{#shownDiscussion}}<p><strong>Verlauf:</strong> {{shownDiscussion}}</p>{{/shownDiscussion}}
        {{#shownResults}}<p><strong>Ergebnis:</strong> {{shownResults}}</p>{{/shownResults}}
        {{#hasVotes}}<ul>{{#votes}}<li>{{text}}</li>{{/votes}}</ul>{{/hasVotes}}
        {{/hasText}}{{/items}}{{/agenda}}
        {{/showContent}}{{/canWriteMinutes}}
        {{#canReadDraft}}<p>Aktueller Stand herunterladen: <a href="{{minutes}}.md{{query}}">Markdown</a> · <a href="{{minutes}}.html{{query}}">HTML</a> · <a href="{{minutes}}.odt{{query}}">ODT (LibreOffice, Word)</a></p>{{/canReadDraft}}
        {{#versions}}<h3>Genehmigte Fassungen</h3><ul>{{#items}}<li>{{text}}: <a href="{{minutes}}.md{{versionQuery}}fassung={{number}}">Markdown</a> · <a href="{{minutes}}.html{{versionQuery}}fassung={{number}}">HTML</a> · <a href="{{minutes}}.odt{{versionQuery}}fassung={{number}}">ODT</a></li>{{/items}}</ul>{{/versions}}
        {{#canChange}}
        {{^approved}}
        <form method="post" action="{{base}}/niederschrift/genehmigen{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><button type="submit">Niederschrift genehmigen (sperrt Inhalt, Tagesordnung, Aufgaben und Anwesenheit)</button></p>
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
        <tbody>{{#items}}<tr><td>{{#item}}TOP {{item}}: {{/item}}{{text}}</td><td>{{office}}</td><td>{{due}}</td><td>{{state}}{{#open}}{{#canChange}}
        <form method="post" action="{{base}}/aufgaben/{{id}}/erledigt{{query}}"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">erledigt</button></form>{{/canChange}}{{/open}}</td></tr>{{/items}}</tbody>
        </table>
        {{/actions}}
        {{#canChange}}{{^approved}}
        <form method="post" action="{{base}}/aufgaben{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="aufgabe">Neue Aufgabe</label>
        <input id="aufgabe" name="aufgabe" value="{{typed.aufgabe}}" required size="40"></p>
        <p><label for="zustaendig">Zuständiges Amt</label>
        <select id="zustaendig" name="zustaendig">{{#offices}}<option value="{{value}}">{{label}}</option>{{/offices}}</select></p>
        <p><label for="top">Vereinbart unter</label>
        <select id="top" name="top">{{#itemChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/itemChoices}}</select></p>
        <p><label for="frist">Frist (optional)</label>
        <input id="frist" name="frist" type="date" value="{{typed.frist}}"></p>
        <p><button type="submit">Aufgabe hinzufügen</button></p>
        </form>
        {{/approved}}{{/canChange}}
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
        {{#confirmMove}}<div class="hinweise" id="verlegen_hinweise" role="alert"><p>Bitte prüfen, bevor die Sitzung verlegt wird:</p>
        <ul>{{#warnings}}<li>{{.}}</li>{{/warnings}}</ul>
        <p><button type="submit" name="bestaetigt" value="ja">Trotzdem verlegen</button></p></div>{{/confirmMove}}
        <p><button type="submit">Sitzung verlegen</button></p>
        </form>
        {{/canCancel}}
        {{#canReinstate}}
        <h2>Absage oder Verlegung zurücknehmen</h2>
        <form method="post" action="{{base}}/wieder-ansetzen{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="grund_zurueck">Grund</label>
        <input id="grund_zurueck" name="grund_zurueck" value="{{typed.grund_zurueck}}" required size="40">
        <button type="submit">Sitzung wie geplant ansetzen</button></p>
        </form>
        {{/canReinstate}}
        {{#canRemove}}
        <h2>Zusätzliche Sitzung entfernen</h2>
        <p>Nur für eine Sitzung, die nie stattfand und zu der nichts erfasst ist; sonst bitte absagen.</p>
        <form method="post" action="{{base}}/entfernen{{query}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="grund_entfernen">Grund</label>
        <input id="grund_entfernen" name="grund_entfernen" value="{{typed.grund_entfernen}}" required size="40">
        <button type="submit">Sitzung entfernen</button></p>
        </form>
        {{/canRemove}}
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

    static let body = """
        {{<layout}}{{$content}}
        <h1>{{name}}</h1>
        {{#notice}}<p class="hinweis" role="status">{{notice}}</p>{{/notice}}
        <p>{{kind}}{{#legalBasis}} · Rechtsgrundlage: {{legalBasis}}{{/legalBasis}} · Vorsitz: {{chair}}</p>
        <h2>Mitglieder</h2>
        <table><thead><tr><th scope="col">Dienststelle</th><th scope="col">Rolle</th><th scope="col">Ebenen</th></tr></thead>
        <tbody>{{#members}}<tr><td>{{office}}</td><td>{{role}}</td><td>{{levels}}</td></tr>{{/members}}</tbody></table>
        {{#showSeats}}
        <h2>Sitze</h2>
        <p>Wer die Dienststellen in diesem Gremium vertritt: Mitglieder und ihre Vertretungen (in der Reihenfolge, in der sie gefragt werden). Ihre persönlichen Kalender zeigen diese Sitzungen.</p>
        {{#seats}}<table><thead><tr><th scope="col">Dienststelle</th><th scope="col">Person</th><th scope="col">Sitz</th><th scope="col">Von</th><th scope="col">Bis</th>{{#canAssign}}<th scope="col">Beenden</th>{{/canAssign}}</tr></thead>
        <tbody>{{#items}}<tr><td>{{office}}</td><td>{{person}}</td><td>{{role}}</td><td>{{from}}</td><td>{{until}}</td>{{#canEnd}}<td>{{#endAction}}<form method="post" action="{{endAction}}"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" aria-label="Sitz von {{person}} beenden">Sitz beenden</button></form>{{/endAction}}</td>{{/canEnd}}</tr>{{/items}}</tbody></table>{{/seats}}
        {{^seats}}<p>Noch keine Sitze vergeben.</p>{{/seats}}
        {{#canAssign}}
        <h3>Sitz vergeben</h3>
        {{#seatError}}<p class="fehler" role="alert">{{seatError}}</p>{{/seatError}}
        <form method="post" action="{{seatAction}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="sitz_amt">Dienststelle</label>
        <select id="sitz_amt" name="amt"{{#officeError}} aria-invalid="true" aria-describedby="sitz_amt_fehler"{{/officeError}}>{{#seatOffices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/seatOffices}}</select>{{#officeError}} <span class="feldfehler" id="sitz_amt_fehler">{{officeError}}</span>{{/officeError}}</p>
        <p><label for="sitz_person">Person</label>
        <select id="sitz_person" name="person"{{#personError}} aria-invalid="true" aria-describedby="sitz_person_fehler"{{/personError}}>{{#seatPeople}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/seatPeople}}</select>{{#personError}} <span class="feldfehler" id="sitz_person_fehler">{{personError}}</span>{{/personError}}</p>
        <p><label for="sitz_rolle">Sitz</label>
        <select id="sitz_rolle" name="rolle"><option value="mitglied"{{^typedDeputy}} selected{{/typedDeputy}}>Mitglied</option><option value="vertretung"{{#typedDeputy}} selected{{/typedDeputy}}>Vertretung</option></select></p>
        <p><label for="sitz_von">Von</label>
        <input id="sitz_von" name="von" type="date" value="{{typed.von}}"{{#fromError}} aria-invalid="true" aria-describedby="sitz_von_fehler"{{/fromError}}>{{#fromError}} <span class="feldfehler" id="sitz_von_fehler">{{fromError}}</span>{{/fromError}} (leer: ab heute)</p>
        <p><label for="sitz_bis">Bis</label>
        <input id="sitz_bis" name="bis" type="date" value="{{typed.bis}}"{{#untilError}} aria-invalid="true" aria-describedby="sitz_bis_fehler"{{/untilError}}>{{#untilError}} <span class="feldfehler" id="sitz_bis_fehler">{{untilError}}</span>{{/untilError}} (leer: offen)</p>
        <p><button type="submit">Sitz vergeben</button></p>
        </form>
        {{/canAssign}}
        {{/showSeats}}
        <h2>Genehmigte Niederschriften</h2>
        {{#minutes}}<table><thead><tr><th scope="col">Sitzung</th><th scope="col">Fassung</th><th scope="col">Genehmigt am</th><th scope="col">Herunterladen</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{date}}</td><td>{{version}}</td><td>{{approved}}</td><td><a href="{{link}}.odt{{query}}">ODT</a> · <a href="{{link}}.html{{query}}">HTML</a> · <a href="{{link}}.md{{query}}">Markdown</a></td></tr>{{/items}}</tbody></table>{{/minutes}}
        {{^minutes}}<p>Keine, oder keine für Sie: genehmigte Niederschriften sehen die Personen mit einem Sitz in diesem Gremium, die Koordination und die Prüfung.</p>{{/minutes}}
        <h2>Sitzungsreihen</h2>
        <table><thead><tr><th scope="col">Reihe</th><th scope="col">Erste Sitzung</th><th scope="col">Dauer</th><th scope="col">Ort</th></tr></thead>
        <tbody>{{#series}}<tr><td>{{title}}</td><td>{{start}}</td><td>{{duration}}</td><td>{{location}}</td></tr>{{/series}}</tbody></table>
        <h2>Kommende Sitzungen (acht Wochen)</h2>
        {{#coming}}{{> sessionTable}}{{/coming}}{{^coming}}<p>Keine.</p>{{/coming}}
        {{#canAdd}}
        <h2>Zusätzliche Sitzung eintragen</h2>
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="datum">Datum</label>
        <input id="datum" name="datum" type="date" value="{{typed.datum}}" required{{#dateError}} aria-invalid="true" aria-describedby="datum_fehler"{{/dateError}}>{{#dateError}} <span class="feldfehler" id="datum_fehler">{{dateError}}</span>{{/dateError}}</p>
        <p><label for="zeit">Beginn</label>
        <input id="zeit" name="zeit" type="time" value="{{typed.zeit}}" required{{#timeError}} aria-invalid="true" aria-describedby="zeit_fehler"{{/timeError}}>{{#timeError}} <span class="feldfehler" id="zeit_fehler">{{timeError}}</span>{{/timeError}}</p>
        <p><label for="dauer">Dauer (Minuten)</label>
        <input id="dauer" name="dauer" type="number" min="1" value="{{typed.dauer}}"{{#durationError}} aria-invalid="true" aria-describedby="dauer_fehler"{{/durationError}}>{{#durationError}} <span class="feldfehler" id="dauer_fehler">{{durationError}}</span>{{/durationError}} (leer: wie die Reihe)</p>
        <p><label for="titel">Titel</label> <input id="titel" name="titel" value="{{typed.titel}}" size="40"> (leer: Name des Gremiums)</p>
        <p><label for="ort">Ort</label> <input id="ort" name="ort" value="{{typed.ort}}" size="40"> (leer: wie die Reihe)</p>
        {{#confirmAdd}}<div class="hinweise" id="eintragen_hinweise" role="alert"><p>Bitte prüfen, bevor die Sitzung eingetragen wird:</p>
        <ul>{{#warnings}}<li>{{.}}</li>{{/warnings}}</ul>
        <p><button type="submit" name="bestaetigt" value="ja">Trotzdem eintragen</button></p></div>{{/confirmAdd}}
        <p><button type="submit">Sitzung eintragen</button></p>
        </form>
        {{/canAdd}}
        <h2>Abonnement</h2>
        <p>Alle Sitzungen dieses Gremiums: <a href="{{webcal}}">webcal://</a> · <a href="{{https}}">{{scheme}}://</a></p>
        {{/content}}{{/layout}}
        """

    static let calendar = """
        {{<layout}}{{$content}}
        <h1>Mein Kalender</h1>
        {{#notice}}<p class="hinweis" role="status">{{notice}}</p>{{/notice}}
        <p>Ihr persönlicher Abonnement-Link zeigt die Sitzungen der Gremien, in denen Sie einen Sitz haben, solange Sie ihn haben. Er ist persönlich: bitte nicht weitergeben.</p>
        <h2>Ihre Sitze</h2>
        {{#ownSeats}}<table><thead><tr><th scope="col">Gremium</th><th scope="col">Für</th><th scope="col">Sitz</th><th scope="col">Von</th><th scope="col">Bis</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{body}}</td><td>{{office}}</td><td>{{role}}</td><td>{{from}}</td><td>{{until}}</td></tr>{{/items}}</tbody></table>{{/ownSeats}}
        {{^ownSeats}}<p class="hinweis">Sie haben zurzeit keinen Sitz in einem Gremium. Ihr Kalender bleibt leer, bis die Koordination Ihnen einen Sitz zuordnet.</p>{{/ownSeats}}
        <form method="post" action="/kalender/vertretungen">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Sitzungen, bei denen Sie vertreten</legend>
        <p><input type="radio" id="vertretungen_ja" name="vertretungen" value="anzeigen"{{#showsDeputies}} checked{{/showsDeputies}}> <label for="vertretungen_ja">anzeigen, als frei und mit „Vertretung“ im Titel</label></p>
        <p><input type="radio" id="vertretungen_nein" name="vertretungen" value="weglassen"{{^showsDeputies}} checked{{/showsDeputies}}> <label for="vertretungen_nein">weglassen</label></p>
        </fieldset>
        <p><button type="submit">Auswahl speichern</button></p>
        </form>
        {{#https}}
        <h2>Ihr Link</h2>
        <p><a href="{{webcal}}">Im Kalenderprogramm öffnen (webcal://)</a></p>
        <p><label for="link">Adresse zum Kopieren</label> <input id="link" readonly value="{{https}}" size="80"></p>
        <h3>So abonnieren Sie</h3>
        <ul>
        <li><strong>Outlook</strong>: Kalender → Kalender hinzufügen → Aus dem Internet; die Adresse einfügen.</li>
        <li><strong>Thunderbird</strong>: Termine und Aufgaben → Neuer Kalender → Im Netzwerk; die Adresse einfügen.</li>
        <li><strong>Apple Kalender</strong>: Ablage → Neues Kalenderabonnement; die Adresse einfügen.</li>
        <li><strong>Google Kalender</strong>: Weitere Kalender (+) → Per URL; die Adresse einfügen (Google aktualisiert nur alle paar Stunden).</li>
        </ul>
        {{/https}}
        <form method="post" action="/kalender/link">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><button type="submit">{{#hasActive}}Neuen Link erstellen (der bisherige gilt dann nicht mehr){{/hasActive}}{{^hasActive}}Link erstellen{{/hasActive}}</button></p>
        </form>
        {{#hasActive}}
        <form method="post" action="/kalender/widerrufen">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><button type="submit">Link widerrufen</button></p>
        </form>
        {{/hasActive}}
        <h2>Ihre Links</h2>
        {{#tokens}}<table><thead><tr><th scope="col">Kennung</th><th scope="col">Erstellt</th><th scope="col">Zuletzt abgerufen</th><th scope="col">Stand</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{id}}</td><td>{{created}}</td><td>{{lastUsed}}</td><td>{{state}}</td></tr>{{/items}}</tbody></table>{{/tokens}}
        {{^tokens}}<p>Noch keiner.</p>{{/tokens}}
        {{/content}}{{/layout}}
        """

    static let people = """
        {{<layout}}{{$content}}
        <h1>Personen</h1>
        {{#notice}}<p class="hinweis" role="status">{{notice}}</p>{{/notice}}
        <p>Das Personalverzeichnis: Namen stehen nur in Anwesenheitslisten, Niederschriften und persönlichen Kalendern, nie in öffentlichen Kalendern.</p>
        {{#people}}<table><thead><tr><th scope="col">Name</th><th scope="col">Kennung</th><th scope="col">Dienststelle</th><th scope="col">Ebene</th><th scope="col">E-Mail-Adresse</th><th scope="col">Letzter Arbeitstag</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{name}}</td><td>{{id}}</td><td>{{office}}</td><td>{{level}}</td><td>{{email}}</td><td>{{until}}</td></tr>{{/items}}</tbody></table>{{/people}}
        {{^people}}<p>Noch niemand.</p>{{/people}}
        <h2>Person anlegen</h2>
        <p>Jede Person erhält eine eigene Kennung; auch zwei Personen gleichen Namens werden so auseinandergehalten.</p>
        <form method="post" action="/personen">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="name">Name</label> <input id="name" name="name" value="{{typed.name}}" size="40" required{{#nameError}} aria-invalid="true" aria-describedby="name_fehler"{{/nameError}}>{{#nameError}} <span class="feldfehler" id="name_fehler">{{nameError}}</span>{{/nameError}}</p>
        <p><label for="dienststelle">Dienststelle</label> <select id="dienststelle" name="dienststelle"{{#officeError}} aria-invalid="true" aria-describedby="dienststelle_fehler"{{/officeError}}>{{#offices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/offices}}</select>{{#officeError}} <span class="feldfehler" id="dienststelle_fehler">{{officeError}}</span>{{/officeError}}</p>
        <p><label for="ebene">Ebene</label> <select id="ebene" name="ebene">{{#levels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/levels}}</select></p>
        <p><label for="email">E-Mail-Adresse</label> <input id="email" name="email" type="email" value="{{typed.email}}" size="40"{{#emailError}} aria-invalid="true" aria-describedby="email_fehler"{{/emailError}}>{{#emailError}} <span class="feldfehler" id="email_fehler">{{emailError}}</span>{{/emailError}}</p>
        <p><button type="submit">Anlegen</button></p>
        </form>
        {{#people}}
        <h2>Person ändern</h2>
        <p>Ein Wechsel der Dienststelle beendet die Sitze der Person mit dem gestrigen Tag; ein letzter Arbeitstag beendet sie an diesem Tag.</p>
        {{#changeError}}<p class="fehler" role="alert">{{changeError}}</p>{{/changeError}}
        <form method="post" action="/personen/aendern">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="aendern_person">Person</label> <select id="aendern_person" name="aendern_person">{{#choosable}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/choosable}}</select></p>
        <p><label for="aendern_dienststelle">Neue Dienststelle</label> <select id="aendern_dienststelle" name="aendern_dienststelle">{{#changeOffices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/changeOffices}}</select></p>
        <p><label for="aendern_email">Neue E-Mail-Adresse</label> <input id="aendern_email" name="aendern_email" type="email" value="{{typed.aendern_email}}" size="40"{{#changeEmailError}} aria-invalid="true" aria-describedby="aendern_email_fehler"{{/changeEmailError}}>{{#changeEmailError}} <span class="feldfehler" id="aendern_email_fehler">{{changeEmailError}}</span>{{/changeEmailError}} (leer: unverändert)</p>
        <p><label for="aendern_bis">Letzter Arbeitstag</label> <input id="aendern_bis" name="aendern_bis" type="date" value="{{typed.aendern_bis}}"{{#changeUntilError}} aria-invalid="true" aria-describedby="aendern_bis_fehler"{{/changeUntilError}}>{{#changeUntilError}} <span class="feldfehler" id="aendern_bis_fehler">{{changeUntilError}}</span>{{/changeUntilError}} (leer: unverändert)</p>
        <p><button type="submit">Ändern</button></p>
        </form>
        {{/people}}
        {{/content}}{{/layout}}
        """

    static let access = """
        {{<layout}}{{$content}}
        <h1>Zugänge</h1>
        {{#notice}}<p class="hinweis" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="fehler" role="alert">{{error}}</p>{{/error}}
        {{#shownOnce}}<div class="hinweis" role="status"><p>{{shownOnceLabel}}:</p><p><label for="einmal">Bitte jetzt kopieren</label> <input id="einmal" readonly value="{{shownOnce}}" size="90"></p></div>{{/shownOnce}}
        <h2>Konten</h2>
        {{#accounts}}<table><thead><tr><th scope="col">Person</th><th scope="col">E-Mail-Adresse</th><th scope="col">Rollen</th><th scope="col">Passwort</th><th scope="col">Aktion</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{person}}</td><td>{{email}}</td><td>{{roles}}</td><td>{{password}}</td>
        <td><form method="post" action="/zugaenge/konten/zuruecksetzen"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="person" value="{{id}}"><button type="submit" aria-label="Passwort von {{person}} zurücksetzen">Passwort zurücksetzen</button></form></td></tr>{{/items}}</tbody></table>{{/accounts}}
        {{^accounts}}<p>Noch keine.</p>{{/accounts}}
        <h3>Konto anlegen oder Rollen ändern</h3>
        <form method="post" action="/zugaenge/konten">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="konto_person">Person</label> <select id="konto_person" name="person">{{#people}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/people}}</select></p>
        <p><label for="konto_email">E-Mail-Adresse</label> <input id="konto_email" name="email" type="email" value="{{typed.email}}" size="40"{{#emailError}} aria-invalid="true" aria-describedby="konto_email_fehler"{{/emailError}}> (leer: aus dem Personalverzeichnis){{#emailError}} <span class="feldfehler" id="konto_email_fehler">{{emailError}}</span>{{/emailError}}</p>
        <fieldset><legend>Rollen (ohne: nur eigener Kalender)</legend>
        {{#roles}}<input type="checkbox" id="rolle_{{value}}" name="rolle_{{value}}" value="1"{{#selected}} checked{{/selected}}> <label for="rolle_{{value}}">{{label}}</label> {{/roles}}
        </fieldset>
        <fieldset{{#bodiesError}} aria-describedby="gremien_fehler"{{/bodiesError}}><legend>Gremien (für die Koordination)</legend>
        {{#bodiesError}}<p class="feldfehler" id="gremien_fehler">{{bodiesError}}</p>{{/bodiesError}}
        {{#bodies}}<input type="checkbox" id="gremium_{{value}}" name="gremium_{{value}}" value="1"{{#selected}} checked{{/selected}}> <label for="gremium_{{value}}">{{label}}</label><br>{{/bodies}}
        </fieldset>
        <p><button type="submit">Konto speichern und Anmeldelink erstellen</button></p>
        </form>
        <h2>Tokens</h2>
        {{#tokens}}<table><thead><tr><th scope="col">Kennung</th><th scope="col">Art</th><th scope="col">Rolle</th><th scope="col">Person</th><th scope="col">Gremien</th><th scope="col">Zuletzt genutzt</th><th scope="col">Stand</th><th scope="col">Aktion</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{id}}</td><td>{{kind}}</td><td>{{role}}</td><td>{{person}}</td><td>{{bodies}}</td><td>{{lastUsed}}</td><td>{{state}}</td>
        <td>{{#active}}<form method="post" action="/zugaenge/tokens/{{id}}/widerrufen"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" aria-label="Token {{id}} widerrufen">Widerrufen</button></form>{{/active}}</td></tr>{{/items}}</tbody></table>{{/tokens}}
        {{^tokens}}<p>Noch keine.</p>{{/tokens}}
        <h3>Token ausstellen</h3>
        {{#tokenError}}<p class="feldfehler" id="token_fehler" role="alert">{{tokenError}}</p>{{/tokenError}}
        <form method="post" action="/zugaenge/tokens">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p><label for="token_person">Person</label> <select id="token_person" name="person">{{#people}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/people}}</select></p>
        <p><label for="art">Art</label> <select id="art" name="art"><option value="api">API (Programme)</option><option value="feed">Kalender</option></select></p>
        <p><label for="rolle">Rolle (API)</label> <select id="rolle" name="rolle"><option value="coordinator">Koordination</option><option value="auditor">Prüfung</option><option value="admin">Verwaltung</option></select></p>
        <fieldset><legend>Gremien</legend>
        {{#bodies}}<input type="checkbox" id="tgremium_{{value}}" name="tgremium_{{value}}" value="1"> <label for="tgremium_{{value}}">{{label}}</label><br>{{/bodies}}
        </fieldset>
        <p><label for="ablauf">Letzter Tag</label> <input id="ablauf" name="ablauf" type="date"> (leer: bis zum Widerruf)</p>
        <p><button type="submit">Token ausstellen</button></p>
        </form>
        <h2>E-Mail-Ausgang</h2>
        <p>Einladungen und Absagen an die Personen mit einem Sitz; sie gehen mit <code>gremien serve --smtp …</code> oder <code>gremien mail send</code> hinaus.</p>
        {{#mails}}<table><thead><tr><th scope="col">Nr.</th><th scope="col">Art</th><th scope="col">Person</th><th scope="col">Gremium</th><th scope="col">Stand</th><th scope="col">Versuche</th><th scope="col">Hinweis</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{id}}</td><td>{{kind}}</td><td>{{person}}</td><td>{{body}}</td><td>{{state}}</td><td>{{attempts}}</td><td>{{note}}</td></tr>{{/items}}</tbody></table>{{/mails}}
        {{^mails}}<p>Leer.</p>{{/mails}}
        <h2>Abgelehnte Antworten per E-Mail</h2>
        <p>Zusagen und Absagen aus Kalenderprogrammen (<code>gremien imip receive</code>), die nicht übernommen wurden; sie stehen auch im Ereignisprotokoll.</p>
        {{#refused}}<table><thead><tr><th scope="col">Eingang</th><th scope="col">Absender</th><th scope="col">Grund</th></tr></thead>
        <tbody>{{#items}}<tr><td>{{time}}</td><td>{{sender}}</td><td>{{reason}}</td></tr>{{/items}}</tbody></table>{{/refused}}
        {{^refused}}<p>Keine.</p>{{/refused}}
        {{/content}}{{/layout}}
        """

    static let audit = """
        {{<layout}}{{$content}}
        <h1>Prüfung</h1>
        {{#error}}<p class="fehler" role="alert">{{error}}</p>{{/error}}
        <h2>Ereignisprotokoll</h2>
        {{#intact}}<p class="hinweis" role="status">Das Ereignisprotokoll ist unversehrt: {{entries}} Einträge, letzter Eintrag {{head}}; die gespeicherten Anwesenheiten, Sitzungsänderungen und Niederschriften stimmen mit ihm überein.</p>{{/intact}}
        {{^intact}}<div class="fehler" role="alert"><p>Das Ereignisprotokoll ist nicht unversehrt ({{entries}} Einträge). Einzelheiten: <code>gremien audit verify</code>.</p>
        <ul>{{#problems}}{{#items}}<li>{{.}}</li>{{/items}}{{/problems}}</ul></div>{{/intact}}
        <h2>Teilnahmebericht</h2>
        <form method="get" action="/pruefung/bericht">
        <p><label for="von">Erster Tag</label> <input id="von" name="von" type="date" value="{{von}}"{{#vonError}} aria-invalid="true" aria-describedby="von_fehler"{{/vonError}}>{{#vonError}} <span class="feldfehler" id="von_fehler">{{vonError}}</span>{{/vonError}}</p>
        <p><label for="bis">Letzter Tag</label> <input id="bis" name="bis" type="date" value="{{bis}}"{{#bisError}} aria-invalid="true" aria-describedby="bis_fehler"{{/bisError}}>{{#bisError}} <span class="feldfehler" id="bis_fehler">{{bisError}}</span>{{/bisError}}</p>
        <p><label for="gremium">Gremium</label> <select id="gremium" name="gremium">{{#bodies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/bodies}}</select></p>
        <p><label for="dienststelle">Dienststelle</label> <select id="dienststelle" name="dienststelle">{{#offices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/offices}}</select></p>
        <p><input type="checkbox" id="alle_paare" name="alle_paare" value="1"{{#allPairs}} checked{{/allPairs}}> <label for="alle_paare">alle Paare von Büros, auch ohne gemeinsame Sitzung</label></p>
        <p><label for="format">Format</label> <select id="format" name="format">{{#formats}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/formats}}</select></p>
        <p><button type="submit">Bericht herunterladen</button></p>
        </form>
        <p>Jeder Bericht nennt den Stand des Ereignisprotokolls, aus dem er erstellt wurde; <code>gremien audit verify --report DATEI</code> prüft ihn später gegen die Aufzeichnungen.</p>
        <h2>Änderungsprotokoll</h2>
        <p>{{changes}} Einträge: <a href="/pruefung/aenderungen.csv">als CSV herunterladen</a>.</p>
        {{/content}}{{/layout}}
        """
}
