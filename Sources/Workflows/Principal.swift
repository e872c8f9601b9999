import Coordination

/// Who acts: the person (for the change log and the event log), the roles they hold and the
/// bodies they coordinate. Every workflow takes one and checks it before it reads what is not
/// public or writes anything.
public struct Principal: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// Reads; writes the records of the bodies in `bodies`.
        case coordinator
        /// Reads everything, writes nothing.
        case auditor
        /// Manages tokens.
        case admin
        /// The person at the server's shell (`gremien …`): may do everything.
        case localOperator
    }

    /// How the person is named in the change log: `Anna Beispiel (t-3f9a0c11e2)` or the login name.
    public var actor: String
    public var roles: Set<Role>
    /// The bodies a coordinator writes the records of.
    public var bodies: Set<String>
    /// The person of the staff records who acts, when known (an account's or a token's holder).
    public var person: String?

    public init(actor: String, roles: Set<Role>, bodies: Set<String> = [], person: String? = nil) {
        self.actor = actor
        self.roles = roles
        self.bodies = bodies
        self.person = person
    }

    /// The holder of an account, with its roles and bodies.
    public init(account: Account) {
        var roles: Set<Role> = []
        for r in account.roles {
            switch r {
            case .coordinator: roles.insert(.coordinator)
            case .auditor: roles.insert(.auditor)
            case .admin: roles.insert(.admin)
            }
        }
        self.init(actor: account.person, roles: roles, bodies: Set(account.bodies), person: account.person)
    }

    /// The operator of the command line, named `actor` in the logs.
    public static func localOperator(_ actor: String) -> Principal {
        Principal(actor: actor, roles: [.localOperator])
    }

    /// The holder of an API token, with the token's role and bodies.
    public init(token: AccessToken) {
        var roles: Set<Role> = []
        switch token.role {
        case .coordinator?: roles.insert(.coordinator)
        case .auditor?: roles.insert(.auditor)
        case .admin?: roles.insert(.admin)
        case nil: break
        }
        self.init(
            actor: "\(token.person) (\(token.id))", roles: roles, bodies: Set(token.bodies), person: token.person)
    }

    /// Whether this principal may write the records (session changes, attendance, agenda, action
    /// items, minutes state) of `body`.
    public func mayWrite(body: String) -> Bool {
        roles.contains(.localOperator) || (roles.contains(.coordinator) && bodies.contains(body))
    }

    /// Whether this principal reads the minutes of `body` as they stand (drafts): its
    /// coordinators, auditors, admins and the operator.
    public func mayReadDrafts(of body: String) -> Bool {
        mayWrite(body: body) || roles.contains(.auditor) || mayAdminister
    }

    /// Whether this principal manages tokens and staff records.
    public var mayAdminister: Bool { roles.contains(.localOperator) || roles.contains(.admin) }

    /// `forbidden` unless the principal may write the records of `body`, with the reason.
    func requireWrite(body: String) throws(WorkflowError) {
        guard !mayWrite(body: body) else { return }
        if roles.contains(.coordinator) {
            throw .forbidden("this token is for \(bodies.sorted().joined(separator: ", ")), not for \(body)")
        }
        if roles.contains(.auditor) { throw .forbidden("auditors read, they do not write") }
        throw .forbidden("only a coordinator of \(body) writes its records")
    }

    /// `forbidden` unless the principal administers.
    func requireAdmin(_ what: String) throws(WorkflowError) {
        guard mayAdminister else { throw .forbidden("only an admin \(what)") }
    }

    /// `forbidden` unless the principal checks records (an auditor, or the operator).
    func requireAudit(_ what: String) throws(WorkflowError) {
        guard roles.contains(.localOperator) || roles.contains(.auditor) else {
            throw .forbidden("only an auditor \(what)")
        }
    }
}
