import Foundation
import IntegrationsCore
import Testing

/// `IntegrationUpdate`, Rocket.Chat's `updateIncomingIntegration` and `updateOutgoingIntegration` without a
/// database: each check in Rocket.Chat's order with its exact error, the permission against the current
/// integration's creator, and exactly what the patch sets and unsets (spec 3.5; rows 25–27 of the incoming suite).
@Suite struct IntegrationUpdateTests {
    typealias Current = IntegrationUpdate.Current

    static let updateIncoming = "updateIncomingIntegration"
    static let updateOutgoing = "updateOutgoingIntegration"
    static let validateOutgoing = "validateOutgoing"
    static let ownIncoming: Set<IntegrationPermission> = [.manageOwnIncoming]
    static let ownOutgoing: Set<IntegrationPermission> = [.manageOwnOutgoing]

    /// An integration the fixtures' caller created, posting as `rocket.cat`, stored before script engines existed.
    static let own = Current(id: "IntegrationId0001", createdBy: Fixtures.callerUser.id, username: "rocket.cat", scriptEngine: nil)
    /// An integration someone else created.
    static let foreign = Current(id: "IntegrationId0002", createdBy: Fixtures.stranger.id, username: "rocket.cat", scriptEngine: "isolated-vm")

    /// Row 25 of Rocket.Chat's incoming suite.
    static let incomingBody: JSONValue = [
        "type": "webhook-incoming", "integrationId": "IntegrationId0001", "name": "Incoming test updated", "alias": "test updated",
        "enabled": true, "scriptEnabled": true, "overrideDestinationChannelEnabled": true, "channel": "#general",
    ]
    /// Guggy with the token an outgoing update requires.
    static let outgoingBody = Fixtures.guggy.setting("integrationId", "IntegrationId0001").setting("token", "secret-token")

    static func incoming(
        _ body: JSONValue,
        as caller: Caller = Fixtures.admin,
        current: Current = own,
        directory: FakeIntegrationDirectory = Fixtures.directory()
    ) throws -> IntegrationUpdate.Patch {
        try IntegrationUpdate.incoming(body, caller: caller, current: current, directory: directory, now: Fixtures.updatedAt)
    }

    static func outgoing(
        _ body: JSONValue,
        as caller: Caller = Fixtures.admin,
        current: Current = own,
        directory: FakeIntegrationDirectory = Fixtures.directory()
    ) throws -> IntegrationUpdate.Patch {
        try IntegrationUpdate.outgoing(body, caller: caller, current: current, directory: directory, now: Fixtures.updatedAt)
    }

    // MARK: Incoming: channel

    @Test(arguments: [nil, "", "   ", ["#general"], .null] as [JSONValue?])
    func incomingUpdateRefusesAMissingBlankOrNonStringChannel(channel: JSONValue?) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid channel", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody.replacing("channel", with: channel), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test(arguments: ["general", "#general,", "#general,,@poster", "all_public_channels"])
    func incomingUpdateRefusesAnEntryThatDoesNotStartWithHashOrAt(channel: String) {
        #expect(throws: MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody.setting("channel", .string(channel)))
        }
    }

    @Test func incomingUpdateChecksTheChannelBeforeThePermission() {
        #expect(throws: MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody.setting("channel", "general"), as: Fixtures.caller([]))
        }
    }

    @Test func incomingUpdateSetsTheTrimmedEntriesAsAnArray() throws {
        let patch = try Self.incoming(Self.incomingBody.setting("channel", " #general , @poster "))
        #expect(patch.set["channel"] == ["#general", "@poster"])
    }

    // MARK: Incoming: permission against the current integration

    @Test(arguments: [[], [.manageOutgoing, .manageOwnOutgoing]] as [Set<IntegrationPermission>])
    func incomingUpdateRefusesACallerWithNeitherIncomingPermission(permissions: Set<IntegrationPermission>) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("not_authorized", "Unauthorized", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody, as: Fixtures.caller(permissions), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test(arguments: [IntegrationUpdateTests.foreign, Current(id: "IntegrationId0003", createdBy: nil, username: "rocket.cat", scriptEngine: nil)])
    func incomingUpdateOwnPermissionRefusesAnotherUsersIntegration(current: Current) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-integration", "Invalid integration", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody, as: Fixtures.caller(Self.ownIncoming), current: current, directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test func incomingUpdateOwnPermissionCoversTheCallersIntegration() throws {
        let patch = try Self.incoming(Self.incomingBody, as: Fixtures.caller(Self.ownIncoming), current: Self.own)
        #expect(patch.set["name"] == "Incoming test updated")
    }

    @Test func incomingUpdateManagePermissionCoversAnyIntegration() throws {
        let patch = try Self.incoming(Self.incomingBody, as: Fixtures.caller([.manageIncoming]), current: Self.foreign)
        #expect(patch.set["name"] == "Incoming test updated")
    }

    // MARK: Incoming: rooms and membership

    @Test(arguments: ["#no-such-room", "@nobody", "#general,#no-such-room"])
    func incomingUpdateRefusesAChannelThatNamesNoRoomOrUser(channel: String) {
        #expect(throws: MeteorError("error-invalid-room", "Invalid room", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody.setting("channel", .string(channel)))
        }
    }

    @Test(arguments: [[.manageOwnIncoming], [.manageIncoming]] as [Set<IntegrationPermission>])
    func incomingUpdateRefusesARoomTheCallerIsNotIn(permissions: Set<IntegrationPermission>) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody.setting("channel", "#foreign-room"), as: Fixtures.caller(permissions), directory: directory)
        }
        #expect(directory.lookups.last == .subscription(userId: Fixtures.callerUser.id, roomId: Fixtures.foreignRoom.id))
    }

    @Test func incomingUpdateCallerWithBothPermissionsMayUseAnyRoomWithoutAMembershipLookup() throws {
        let directory = Fixtures.directory()
        _ = try Self.incoming(Self.incomingBody.setting("channel", "#foreign-room,@stranger"), directory: directory)
        #expect(directory.lookups == [.roomByIdOrName("foreign-room"), .userByIdOrUsername("stranger"), .userByUsername("rocket.cat")])
    }

    @Test func incomingUpdateChecksAnAtUserChannelAsIfTheUserWereARoom() {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody.setting("channel", "@stranger"), as: Fixtures.caller(Self.ownIncoming), directory: directory)
        }
        #expect(directory.lookups == [.userByIdOrUsername("stranger"), .subscription(userId: Fixtures.callerUser.id, roomId: Fixtures.stranger.id)])
    }

    /// Unlike create, update looks up the rooms before the poster.
    @Test func incomingUpdateChecksTheRoomsBeforeThePoster() throws {
        let directory = Fixtures.directory()
        _ = try Self.incoming(Self.incomingBody, as: Fixtures.caller(Self.ownIncoming), directory: directory)
        #expect(
            directory.lookups == [
                .roomByIdOrName("general"), .subscription(userId: Fixtures.callerUser.id, roomId: Fixtures.general.id), .userByUsername("rocket.cat"),
            ]
        )
        #expect(throws: MeteorError("error-invalid-room", "Invalid room", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody.setting("channel", "#no-such-room").setting("username", "nobody"))
        }
    }

    // MARK: Incoming: the "post as" user

    @Test(arguments: ["nobody", "", 5, .null] as [JSONValue])
    func incomingUpdateRefusesAPosterThatDoesNotExist(username: JSONValue) {
        #expect(throws: MeteorError("error-invalid-post-as-user", "Invalid Post As User", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody.setting("username", username))
        }
    }

    /// The stored poster must still exist even when the update does not name one.
    @Test(arguments: [nil, "deleted-user"] as [String?])
    func incomingUpdateRefusesACurrentPosterThatIsGone(username: String?) {
        let current = Current(id: "IntegrationId0001", createdBy: Fixtures.callerUser.id, username: username, scriptEngine: nil)
        #expect(throws: MeteorError("error-invalid-post-as-user", "Invalid Post As User", method: Self.updateIncoming)) {
            try Self.incoming(Self.incomingBody, current: current)
        }
    }

    @Test func incomingUpdateWithoutAUsernameKeepsTheCurrentPosterAndMakesItABot() throws {
        let current = Current(id: "IntegrationId0001", createdBy: Fixtures.callerUser.id, username: "poster", scriptEngine: nil)
        let directory = Fixtures.directory()
        let patch = try Self.incoming(Self.incomingBody, current: current, directory: directory)
        #expect(directory.lookups.last == .userByUsername("poster"))
        #expect(patch.set["username"] == nil)
        #expect(patch.set["userId"] == nil)
        #expect(patch.botUserId == Fixtures.poster.id)
    }

    /// Rows 27–28 of Rocket.Chat's incoming suite.
    @Test func incomingUpdateWithAUsernameSetsUsernameAndUserIdAndMakesThePosterABot() throws {
        let patch = try Self.incoming(Self.incomingBody.setting("username", "poster"))
        #expect(patch.set["username"] == "poster")
        #expect(patch.set["userId"] == .string(Fixtures.poster.id))
        #expect(patch.botUserId == Fixtures.poster.id)
    }

    @Test func incomingUpdatePassesADirectoryFailureOnUnchanged() {
        #expect(throws: FakeIntegrationDirectory.Failure()) {
            try Self.incoming(Self.incomingBody, directory: Fixtures.directory(failing: true))
        }
    }

    // MARK: Incoming: the patch

    /// Row 25: the fields Rocket.Chat's `$set` names, stamped with the caller; never the token, type, creator or
    /// anything else sent; nothing unset.
    @Test func incomingUpdateSetsRocketChatsFieldsAndNothingElse() throws {
        let body = Self.incomingBody
            .setting("avatar", "https://example.com/a.png").setting("emoji", ":ghost:").setting("script", "class Script {}")
            .setting("token", "forged-token").setting("userId", "forged-user").setting("_id", "forged-id")
            .setting("_createdBy", ["_id": "forged"]).setting("_createdAt", "2000-01-01T00:00:00.000Z").setting("scriptCompiled", "x")
            .setting("unknownField", 1)
        let patch = try Self.incoming(body)
        let expected: JSONValue = [
            "enabled": true, "name": "Incoming test updated", "avatar": "https://example.com/a.png", "emoji": ":ghost:",
            "alias": "test updated", "channel": ["#general"], "script": "class Script {}", "scriptEnabled": true,
            "scriptEngine": "isolated-vm", "overrideDestinationChannelEnabled": true, "_updatedAt": "2024-02-01T10:00:00.000Z",
            "_updatedBy": Fixtures.callerStamp,
        ]
        #expect(patch.set.membersSorted == expected.membersSorted)
        #expect(patch.unset == [])
        #expect(patch.botUserId == Fixtures.rocketCat.id)
    }

    /// A field that is not sent is left alone (Rocket.Chat's `$set` of `undefined`).
    @Test func incomingUpdateLeavesFieldsThatAreNotSentAlone() throws {
        let patch = try Self.incoming(["channel": "#general"])
        #expect(Set(patch.set.keys) == ["channel", "scriptEngine", "_updatedAt", "_updatedBy"])
    }

    @Test(
        arguments: [("vm2", "isolated-vm", "vm2"), (nil, "vm2", "vm2"), (nil, nil, "isolated-vm"), (5, "vm2", "vm2")]
            as [(JSONValue?, String?, String)]
    )
    func incomingUpdateScriptEngineIsTheSentOneElseTheCurrentOneElseIsolatedVM(sent: JSONValue?, current: String?, stored: String) throws {
        let integration = Current(id: "IntegrationId0001", createdBy: Fixtures.callerUser.id, username: "rocket.cat", scriptEngine: current)
        let patch = try Self.incoming(Self.incomingBody.replacing("scriptEngine", with: sent), current: integration)
        #expect(patch.set["scriptEngine"] == .string(stored))
    }

    @Test func incomingUpdateSetsTheOverrideFlagOnlyWhenSent() throws {
        #expect(try Self.incoming(Self.incomingBody.removing("overrideDestinationChannelEnabled")).set["overrideDestinationChannelEnabled"] == nil)
        #expect(
            try Self.incoming(Self.incomingBody.setting("overrideDestinationChannelEnabled", false)).set["overrideDestinationChannelEnabled"] == false
        )
    }

    @Test func updateDefaultsToTheCurrentTime() throws {
        let before = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let patch = try IntegrationUpdate.incoming(Self.incomingBody, caller: Fixtures.admin, current: Self.own, directory: Fixtures.directory())
        let after = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let updatedAt = try #require(patch.set["_updatedAt"]?.stringValue.flatMap(RocketChatDate.milliseconds(fromISO:)))
        #expect((before...after).contains(updatedAt))
    }

    // MARK: Outgoing: validation, token, permission

    /// Validation comes first, even before the permission: a caller without either permission hears about its body.
    @Test(
        arguments: [
            (
                "event", "noSuchEvent",
                MeteorError("error-invalid-event-type", "Invalid event type", function: "validateOutgoing._verifyRequiredFields")
            ),
            ("urls", [], MeteorError("error-invalid-urls", "Invalid URLs", function: "validateOutgoing._verifyRequiredFields")),
            (
                "channel", "general",
                MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", function: "validateOutgoing")
            ),
            (
                "username", "nobody",
                MeteorError("error-invalid-user", "Invalid user (did you delete the `rocket.cat` user?)", function: "validateOutgoing")
            ),
            ("triggerWords", "!guggy", MeteorError("error-invalid-triggerWords", "Invalid triggerWords", function: "validateOutgoing")),
            (
                "channel", "#no-such-room",
                MeteorError("error-invalid-room", "Invalid room", function: "validateOutgoing._verifyUserHasPermissionForChannels")
            ),
            (
                "channel", "#foreign-room",
                MeteorError("error-invalid-channel", "Invalid Channel", function: "validateOutgoing._verifyUserHasPermissionForChannels")
            ),
        ] as [(String, JSONValue, MeteorError)]
    )
    func outgoingUpdateRunsTheOutgoingValidationBeforeAnythingElse(key: String, value: JSONValue, error: MeteorError) {
        #expect(throws: error) {
            try Self.outgoing(Fixtures.guggy.setting(key, value), as: Fixtures.caller([]))
        }
    }

    @Test(arguments: [nil, "", "   ", 5] as [JSONValue?])
    func outgoingUpdateRefusesAMissingOrBlankToken(token: JSONValue?) {
        #expect(throws: MeteorError("error-invalid-token", "Invalid token", method: Self.updateOutgoing)) {
            try Self.outgoing(Self.outgoingBody.replacing("token", with: token))
        }
    }

    @Test func outgoingUpdateChecksTheTokenBeforeThePermission() {
        #expect(throws: MeteorError("error-invalid-token", "Invalid token", method: Self.updateOutgoing)) {
            try Self.outgoing(Self.outgoingBody.removing("token"), as: Fixtures.caller([]))
        }
    }

    /// The refusal comes after validation, so the directory has been asked about the poster and the rooms.
    @Test(arguments: [[], [.manageIncoming, .manageOwnIncoming]] as [Set<IntegrationPermission>])
    func outgoingUpdateRefusesACallerWithNeitherOutgoingPermissionAfterTheLookups(permissions: Set<IntegrationPermission>) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("not_authorized", "Unauthorized", method: Self.updateOutgoing)) {
            try Self.outgoing(Self.outgoingBody, as: Fixtures.caller(permissions), directory: directory)
        }
        #expect(
            directory.lookups == [
                .userByUsername("rocket.cat"), .roomByIdOrName("general"), .subscription(userId: Fixtures.callerUser.id, roomId: Fixtures.general.id),
            ]
        )
    }

    /// This refusal has a reason and no details.
    @Test(arguments: [IntegrationUpdateTests.foreign, Current(id: "IntegrationId0003", createdBy: nil, username: "rocket.cat", scriptEngine: nil)])
    func outgoingUpdateOwnPermissionRefusesAnotherUsersIntegration(current: Current) {
        #expect(throws: MeteorError("invalid_integration", reason: "[methods] updateOutgoingIntegration -> integration not found")) {
            try Self.outgoing(Self.outgoingBody, as: Fixtures.caller(Self.ownOutgoing), current: current)
        }
    }

    @Test func outgoingUpdateOwnPermissionCoversTheCallersIntegration() throws {
        #expect(try Self.outgoing(Self.outgoingBody, as: Fixtures.caller(Self.ownOutgoing), current: Self.own).set["name"] == "Guggy")
    }

    @Test func outgoingUpdateManagePermissionCoversAnyIntegration() throws {
        #expect(try Self.outgoing(Self.outgoingBody, as: Fixtures.caller([.manageOutgoing]), current: Self.foreign).set["name"] == "Guggy")
    }

    @Test func outgoingUpdatePassesADirectoryFailureOnUnchanged() {
        #expect(throws: FakeIntegrationDirectory.Failure()) {
            try Self.outgoing(Self.outgoingBody, directory: Fixtures.directory(failing: true))
        }
    }

    // MARK: Outgoing: the patch

    /// The fields Rocket.Chat's `$set` names, stamped with the caller; never the type, the target URL, the creator
    /// or anything else sent; the stale compiled script unset; no bot role.
    @Test func outgoingUpdateSetsRocketChatsFieldsAndUnsetsTheCompiledScript() throws {
        let body = Self.outgoingBody
            .setting("target_url", "http://text2gif.guggy.com/guggify").setting("userId", "forged-user").setting("_id", "forged-id")
            .setting("_createdBy", ["_id": "forged"]).setting("overrideDestinationChannelEnabled", true).setting("unknownField", 1)
        let patch = try Self.outgoing(body)
        let expected: JSONValue = [
            "event": "sendMessage", "enabled": true, "name": "Guggy", "avatar": "https://example.com/guggy.png", "emoji": ":ghost:",
            "alias": "guggy", "channel": ["#general"], "username": "rocket.cat", "userId": "rocket.cat",
            "urls": ["http://text2gif.guggy.com/guggify"], "token": "secret-token", "scriptEnabled": false, "scriptEngine": "isolated-vm",
            "triggerWords": ["!guggy"], "_updatedAt": "2024-02-01T10:00:00.000Z", "_updatedBy": Fixtures.callerStamp,
        ]
        #expect(patch.set.membersSorted == expected.membersSorted)
        #expect(patch.unset == ["scriptCompiled"])
        #expect(patch.botUserId == nil)
    }

    @Test func outgoingUpdateSetsTheOptionalFieldsThatAreSentAsValidated() throws {
        let body = Self.outgoingBody
            .setting("urls", ["http://a", " "]).setting("triggerWords", ["!a", ""]).setting("targetRoom", "#general")
            .setting("impersonateUser", true).setting("script", "class Script {}").setting("retryFailedCalls", true)
            .setting("retryCount", -1).setting("retryDelay", "Powers-Of-Two").setting("triggerWordAnywhere", true).setting("runOnEdits", "yes")
        let set = try Self.outgoing(body).set
        #expect(set["urls"] == ["http://a"])
        #expect(set["triggerWords"] == ["!a"])
        #expect(set["targetRoom"] == "#general")
        #expect(set["impersonateUser"] == true)
        #expect(set["script"] == "class Script {}")
        #expect(set["retryFailedCalls"] == true)
        #expect(set["retryCount"] == 4)
        #expect(set["retryDelay"] == "powers-of-two")
        #expect(set["triggerWordAnywhere"] == true)
        #expect(set["runOnEdits"] == false)
    }

    @Test func outgoingUpdateLeavesOptionalFieldsThatAreNotSentAlone() throws {
        let set = try Self.outgoing(Self.outgoingBody).set
        for key in ["targetRoom", "impersonateUser", "script", "retryFailedCalls", "retryCount", "retryDelay", "triggerWordAnywhere", "runOnEdits"] {
            #expect(set[key] == nil, "\(key)")
        }
    }

    /// The trigger words are not unset either: a `$set` without them leaves the stored ones.
    @Test func outgoingUpdateOfAnEventWithoutChannelsSetsNoChannelsAndNoTriggerWords() throws {
        let patch = try Self.outgoing(Self.outgoingBody.setting("event", "roomCreated"))
        #expect(patch.set["channel"] == [])
        #expect(patch.set["triggerWords"] == nil)
        #expect(patch.unset == ["scriptCompiled"])
    }

    @Test func outgoingUpdateSetsThePosterItValidated() throws {
        let patch = try Self.outgoing(Self.outgoingBody.setting("username", "poster"))
        #expect(patch.set["username"] == "poster")
        #expect(patch.set["userId"] == .string(Fixtures.poster.id))
        #expect(patch.botUserId == nil)
    }

    @Test(arguments: [("vm2", "isolated-vm", "vm2"), (nil, "vm2", "vm2"), (nil, nil, "isolated-vm")] as [(JSONValue?, String?, String)])
    func outgoingUpdateScriptEngineIsTheSentOneElseTheCurrentOneElseIsolatedVM(sent: JSONValue?, current: String?, stored: String) throws {
        let integration = Current(id: "IntegrationId0001", createdBy: Fixtures.callerUser.id, username: "rocket.cat", scriptEngine: current)
        let patch = try Self.outgoing(Self.outgoingBody.replacing("scriptEngine", with: sent), current: integration)
        #expect(patch.set["scriptEngine"] == .string(stored))
    }
}
