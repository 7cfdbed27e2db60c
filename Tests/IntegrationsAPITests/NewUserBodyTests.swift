import Foundation
import IntegrationsCore
import IntegrationsStore
import Testing

@testable import IntegrationsAPI

/// The bodies of `users.create` and `users.register`, against Rocket.Chat's schemas.
@Suite struct NewUserBodyTests {
    static let create = #"{"email":"new@example.com","name":"New User","password":"pa55word","username":"new"}"#
    static let register = #"{"username":"reg","email":"reg@example.com","pass":"pa55word","name":"Reg"}"#

    func createError(_ body: String) throws -> RocketChatError? {
        let body = try json(body)
        return thrownError { () throws(RocketChatError) in try NewUserBody.create(body) }
    }

    func registerError(_ body: String) throws -> RocketChatError? {
        let body = try json(body)
        return thrownError { () throws(RocketChatError) in try NewUserBody.register(body) }
    }

    func adding(_ member: String, to body: String) -> String {
        String(body.dropLast()) + "," + member + "}"
    }

    @Test func aCreatedUserIsAnUnverifiedUserByDefault() throws {
        let user = try NewUserBody.create(json(Self.create))
        #expect(user.username == "new")
        #expect(user.email == "new@example.com")
        #expect(user.name == "New User")
        #expect(user.password == "pa55word")
        #expect(user.roles == ["user"])
        #expect(user.verified == false)
    }

    @Test func rolesAndVerifiedAreTakenAsGiven() throws {
        let user = try NewUserBody.create(json(adding(#""roles":["admin","bot"],"verified":true"#, to: Self.create)))
        #expect(user.roles == ["admin", "bot"])
        #expect(user.verified)
        #expect(try NewUserBody.create(json(adding(#""roles":[]"#, to: Self.create))).roles == [])
    }

    @Test func everyDeclaredPropertyIsAccepted() throws {
        let body = adding(
            #""active":true,"joinDefaultChannels":false,"requirePasswordChange":true,"sendWelcomeEmail":false,"customFields":{"team":"a"}"#,
            to: Self.create
        )
        #expect(try createError(body) == nil)
        #expect(try createError(adding(#""customFields":{}"#, to: Self.create)) == nil)
    }

    @Test func requiredPropertiesAreNamedInTheSchemasOrder() throws {
        #expect(try createError("{}") == .invalidParams("must have required property 'email'"))
        #expect(try createError(#"{"email":"e"}"#) == .invalidParams("must have required property 'name'"))
        #expect(try createError(#"{"email":"e","name":"n"}"#) == .invalidParams("must have required property 'password'"))
        #expect(try createError(#"{"email":"e","name":"n","password":"p"}"#) == .invalidParams("must have required property 'username'"))
    }

    @Test func createRefusesUndeclaredProperties() throws {
        #expect(try createError(adding(#""pass":"x""#, to: Self.create)) == .invalidParams("must NOT have additional properties"))
    }

    @Test(arguments: [
        (#""username":5"#, "must be string"), (#""active":"yes""#, "must be boolean"), (#""roles":"admin""#, "must be array"),
        (#""roles":["admin",1]"#, "must be string"), (#""verified":1"#, "must be boolean"), (#""customFields":"x""#, "must be object"),
        (#""customFields":[]"#, "must be object"), (#""customFields":null"#, "must be object"),
    ])
    func createNamesAWrongTypeOfValue(member: String, message: String) throws {
        let key = String(member.split(separator: ":")[0])
        let body =
            Self.create.contains(key) ? Self.create.replacingOccurrences(of: #""username":"new""#, with: member) : adding(member, to: Self.create)
        #expect(try createError(body) == .invalidParams(message))
    }

    @Test func aRegisteredUserHasTheUserRoleWhateverItAsks() throws {
        let user = try NewUserBody.register(json(adding(#""secretURL":"s""#, to: Self.register)))
        #expect(user.username == "reg")
        #expect(user.email == "reg@example.com")
        #expect(user.name == "Reg")
        #expect(user.password == "pa55word")
        #expect(user.roles == ["user"])
        #expect(user.verified == false)
    }

    @Test func registerHasASchemaOfItsOwn() throws {
        #expect(try registerError("{}") == .invalidParams("must have required property 'username'"))
        #expect(try registerError(#"{"username":"u","email":"e","name":"n"}"#) == .invalidParams("must have required property 'pass'"))
        #expect(try registerError(adding(#""roles":["admin"]"#, to: Self.register)) == .invalidParams("must NOT have additional properties"))
        #expect(try registerError(adding(#""secretURL":1"#, to: Self.register)) == .invalidParams("must be string"))
        #expect(try registerError(Self.create) == .invalidParams("must have required property 'pass'"))
    }
}
