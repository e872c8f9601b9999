import ArgumentParser
import Coordination
import Foundation
import Mail
import Platform
import Storage
import Workflows

/// Where mail goes and from whom: the options of `gremien mail` and `gremien serve`.
struct MailOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The mail server: smtp://[user@]host:port. The password comes from GREMIEN_SMTP_PASSWORD or --smtp-password-file.",
            valueName: "URL"))
    var smtp: String?
    @Option(help: ArgumentHelp("A file holding the mail server's password (one line).", valueName: "FILE"))
    var smtpPasswordFile: String?
    @Option(
        help: ArgumentHelp("A PEM file of certificates to trust for STARTTLS besides the system's.", valueName: "FILE"))
    var smtpCA: String?
    @Option(
        help: ArgumentHelp(
            "starttls (default: when offered; required before a password leaves this machine), require-tls or none.",
            valueName: "MODE"))
    var smtpSecurity = "starttls"
    @Option(
        help: ArgumentHelp(
            "The district's sender mailbox: organizer of every invitation, envelope sender, Reply-To.",
            valueName: "ADDRESS"))
    var mailFrom: String?

    /// The SMTP client and the sender settings, or `nil` when no --smtp is given.
    func client(publicURL: String?) throws -> (SMTPClient, Workflows.MailSettings)? {
        guard let smtp else {
            if mailFrom != nil { throw CommandError("--mail-from needs --smtp URL (the mail server)") }
            return nil
        }
        guard let from = mailFrom, Workflows.isEmailAddress(from) else {
            throw CommandError(
                "--smtp needs --mail-from ADDRESS, the district's sender mailbox (e.g. gremien@kreis.example)")
        }
        var password = ProcessInfo.processInfo.environment["GREMIEN_SMTP_PASSWORD"]
        if let file = smtpPasswordFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CommandError("cannot read --smtp-password-file \(file)")
            }
            password = text.trimmingCharacters(in: .newlines)
        }
        var configuration: SMTPConfiguration
        do { configuration = try SMTPConfiguration(url: smtp, password: password) } catch {
            throw CommandError(error.description)
        }
        guard let security = SMTPConfiguration.Security(rawValue: smtpSecurity) else {
            throw CommandError(
                "--smtp-security must be starttls, require-tls or none, not '\(smtpSecurity.prefix(20))'")
        }
        configuration.security = security
        configuration.caFile = smtpCA
        return (SMTPClient(configuration), Workflows.MailSettings(from: from, publicURL: publicURL))
    }
}

/// `gremien mail send|list|test`: the invitation outbox.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Send what is due in the invitation outbox, list it, or send a test message.",
        discussion: """
            A seat assigned or ended, a session cancelled, moved or added put invitations (iTIP, \
            for Outlook, Thunderbird, Apple and Google Calendar) into the outbox, in the same \
            transaction as the change; `gremien serve --smtp …` sends them, or `gremien mail send` once.
              export GREMIEN_SMTP_PASSWORD=…
              gremien mail send --smtp smtp://gremien@mail.kreis.example:587 --mail-from gremien@kreis.example
              gremien mail list
              gremien mail test --smtp smtp://mail.kreis.example:25 --mail-from gremien@kreis.example --to anna@kreis.example
            """,
        subcommands: [Send.self, List.self, Test.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send", abstract: "Send what is due in the outbox, once.")
        @OptionGroup var mail: MailOptions
        @Option(help: ArgumentHelp("The address of Gremien's pages, for the link in each message.", valueName: "URL"))
        var publicURL: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let (client, settings) = try mail.client(publicURL: publicURL) else {
                throw CommandError("gremien mail send needs --smtp URL and --mail-from ADDRESS")
            }
            let owner = "mail-send-\(ProcessInfo.processInfo.processIdentifier)"
            let workflows = try await store.workflows()
            var total = Workflows.MailRound()
            while true {
                let round = try await call { try await workflows.sendOutbox(settings, sender: client, owner: owner) }
                total.sent += round.sent
                total.retried += round.retried
                total.failed += round.failed
                total.dropped += round.dropped
                total.problems += round.problems
                if round.sent + round.retried + round.failed + round.dropped < 50 { break }
            }
            for p in total.problems { printError("gremien: \(p)") }
            printOut(
                "sent \(total.sent), to try again \(total.retried), failed \(total.failed), nothing to say any more \(total.dropped)\n"
            )
            if total.failed > 0 { throw ExitCode(1) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the outbox, newest first, with each state.")
        @Option(help: "How many.") var limit = 50
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let entries = try await call { try await store.workflows(.read).outbox(limit: limit, by: localOperator) }
            var out = "ID    STATE    KIND            PERSON                BODY              SESSION     TRIES  NOTE\n"
            for e in entries {
                out +=
                    [
                        "\(e.id)".padding(toLength: 5, withPad: " ", startingAt: 0),
                        e.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0),
                        e.kind.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0),
                        e.person.padding(toLength: 21, withPad: " ", startingAt: 0),
                        e.body.padding(toLength: 17, withPad: " ", startingAt: 0),
                        (e.date?.description ?? "-").padding(toLength: 11, withPad: " ", startingAt: 0),
                        "\(e.attempts)".padding(toLength: 6, withPad: " ", startingAt: 0),
                        e.sentAt.map { "sent \($0)Z" } ?? e.lastError ?? "",
                    ].joined(separator: " ") + "\n"
            }
            printOut(out)
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Send one plain test message: is the mail server set up right?")
        @OptionGroup var mail: MailOptions
        @Option(help: ArgumentHelp("Who gets it.", valueName: "ADDRESS")) var to: String

        func run() async throws {
            guard let (client, settings) = try mail.client(publicURL: nil) else {
                throw CommandError("gremien mail test needs --smtp URL and --mail-from ADDRESS")
            }
            guard Workflows.isEmailAddress(to) else { throw CommandError("'\(to)' is not an e-mail address") }
            let now = WallClock.system.now()
            let message = MailMessage(
                from: MailAddress(settings.from, name: "Gremien"), to: [MailAddress(to)],
                subject: "Gremien: Testnachricht", messageID: "gremien-test-\(now.localSeconds)@gremien.localhost",
                date: now.localSeconds,
                text: "Diese Nachricht prüft den Versand von Gremien. Sie kann gelöscht werden.\n")
            do { try await client.send(MIMEWriter.render(message), from: settings.from, to: [to]) } catch {
                throw CommandError(error.description)
            }
            printOut("sent a test message to \(to) through \(mail.smtp ?? "")\n")
        }
    }
}

/// `gremien imip receive`: answers to invitations that come back by mail.
struct ImipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imip",
        abstract: "Record answers to invitations (iTIP REPLY) that come back by mail.",
        discussion: """
            Invitations name the district's sender mailbox (--mail-from) as organizer; calendar \
            programs send Zusage, Absage or "Mit Vorbehalt" there. Let the mail server pipe each \
            message for that mailbox into `gremien imip receive`, e.g. Postfix in master.cf:
              gremien unix - n n - - pipe flags=Rq user=gremien argv=/usr/local/bin/gremien imip receive --store sqlite:/var/lib/gremien/gremien.sqlite
            Exit status: 0 recorded (or already recorded), 1 refused (a sender who is not the \
            attendee, an unknown UID, a delegation: kept in the event log), 65 not an answer to an \
            invitation (the mail server returns it to the sender).
            """,
        subcommands: [Receive.self])

    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "receive",
            abstract: "Read one message on standard input and record the answers in its iTIP REPLY.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            var raw: [UInt8] = []
            while let chunk = try FileHandle.standardInput.read(upToCount: 65_536), !chunk.isEmpty {
                raw += chunk
                if raw.count > 10_000_000 {
                    printError("gremien: the message has more than 10,000,000 bytes; nothing was recorded")
                    throw ExitCode(65)
                }
            }
            let workflows = try await store.workflows()
            let result: Workflows.ReceivedReply
            do {
                result = try await workflows.receiveReply(mail: raw)
            } catch .invalid(let problems) {
                printError("gremien: \(problems.map(\.description).joined(separator: "; ")); nothing was recorded")
                throw ExitCode(65)
            } catch {
                throw CommandError(error.description)
            }
            if let ignored = result.ignored {
                printOut("ignored \(ignored)\n")
                return
            }
            for reason in result.refused { printError("gremien: refused: \(reason)") }
            var said: [String] = []
            if !result.recorded.isEmpty {
                let answers = Set(result.recorded.map(\.answer.german)).sorted().joined(separator: ", ")
                said.append(
                    "recorded \(result.recorded.count) answer\(result.recorded.count == 1 ? "" : "s") (\(answers)) for "
                        + result.sessions.prefix(3).joined(separator: ", ")
                        + (result.sessions.count > 3 ? " and \(result.sessions.count - 3) more" : ""))
            }
            if result.unchanged > 0 { said.append("\(result.unchanged) already recorded, nothing changed") }
            if !said.isEmpty { printOut(said.joined(separator: "; ") + "\n") }
            if !result.refused.isEmpty { throw ExitCode(1) }
        }
    }
}
