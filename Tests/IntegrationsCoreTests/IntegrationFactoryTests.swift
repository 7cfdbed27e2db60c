import Foundation
import IntegrationsCore
import Testing

/// `IntegrationFactory`, Rocket.Chat's `addIncomingIntegration` and `addOutgoingIntegration` without a database:
/// each check in Rocket.Chat's order with its exact error (code, reason, details), the lookups it needs, and the
/// document it produces (spec 1.3, 1.4, 3.4; rows 1–6 of both end-to-end suites).
@Suite struct IntegrationFactoryTests {
    typealias Lookup = FakeIntegrationDirectory.Lookup

    static let addIncoming = "addIncomingIntegration"
    static let requiredFields = "validateOutgoing._verifyRequiredFields"
    static let validateOutgoing = "validateOutgoing"
    static let channelPermissions = "validateOutgoing._verifyUserHasPermissionForChannels"
    static let ownIncoming: Set<IntegrationPermission> = [.manageOwnIncoming]
    static let ownOutgoing: Set<IntegrationPermission> = [.manageOwnOutgoing]

    static func incoming(
        _ body: JSONValue,
        as caller: Caller = Fixtures.admin,
        directory: FakeIntegrationDirectory = Fixtures.directory()
    ) throws -> IntegrationFactory.NewIntegration {
        try IntegrationFactory.incoming(body, caller: caller, directory: directory, stamp: Fixtures.stamp)
    }

    static func outgoing(
        _ body: JSONValue,
        as caller: Caller = Fixtures.admin,
        directory: FakeIntegrationDirectory = Fixtures.directory()
    ) throws -> IntegrationFactory.NewIntegration {
        try IntegrationFactory.outgoing(body, caller: caller, directory: directory, stamp: Fixtures.stamp)
    }

    /// Guggy firing on `event`, with the target room `userCreated` requires.
    static func guggy(on event: OutgoingEvent) -> JSONValue {
        let body = Fixtures.guggy.setting("event", .string(event.rawValue))
        return event.usesTargetRoom ? body.setting("targetRoom", "#general") : body
    }

    // MARK: Incoming: permissions

    @Test(arguments: [[], [.manageOutgoing, .manageOwnOutgoing]] as [Set<IntegrationPermission>])
    func incomingRefusesACallerWithNeitherIncomingPermissionBeforeAnyOtherCheck(permissions: Set<IntegrationPermission>) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("not_authorized", "Unauthorized", method: Self.addIncoming)) {
            try Self.incoming(Fixtures.incoming.setting("channel", "general"), as: Fixtures.caller(permissions), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    /// Either permission is enough to create (the old docs claimed both are needed).
    @Test(arguments: [[.manageIncoming], [.manageOwnIncoming], Set(IntegrationPermission.allCases)] as [Set<IntegrationPermission>])
    func incomingAcceptsEitherIncomingPermission(permissions: Set<IntegrationPermission>) throws {
        let created = try Self.incoming(Fixtures.incoming, as: Fixtures.caller(permissions))
        #expect(created.document["type"] == "webhook-incoming")
        #expect(created.document["_createdBy"] == Fixtures.callerStamp)
    }

    // MARK: Incoming: channel

    @Test(arguments: [nil, "", "   ", ["#general"], true, .null] as [JSONValue?])
    func incomingRefusesAMissingBlankOrNonStringChannel(channel: JSONValue?) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid channel", method: Self.addIncoming)) {
            try Self.incoming(Fixtures.incoming.replacing("channel", with: channel), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    /// The add method names `updateIncomingIntegration` in this error, as Rocket.Chat's does (a copy-paste in its
    /// source); an empty entry is refused, not dropped as the outgoing rules drop it.
    @Test(arguments: ["general", "#general,", "#general,,#own-room", "#general, own-room", "all_public_channels", " x#general"])
    func incomingRefusesAnEntryThatDoesNotStartWithHashOrAt(channel: String) {
        let directory = Fixtures.directory()
        #expect(
            throws: MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method: "updateIncomingIntegration")
        ) {
            try Self.incoming(Fixtures.incoming.setting("channel", .string(channel)), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test func incomingChecksTheChannelBeforeTheUsername() {
        #expect(
            throws: MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method: "updateIncomingIntegration")
        ) {
            try Self.incoming(Fixtures.incoming.setting("channel", "general").removing("username"))
        }
    }

    @Test func incomingStoresTheTrimmedEntriesAsAnArrayInOrder() throws {
        let directory = Fixtures.directory()
        let created = try Self.incoming(Fixtures.incoming.setting("channel", " #general , @poster,#OwnRoomId00000001 "), directory: directory)
        #expect(created.document["channel"] == ["#general", "@poster", "#OwnRoomId00000001"])
        #expect(
            directory.lookups == [
                .userByUsername("rocket.cat"), .roomByIdOrName("general"), .userByIdOrUsername("poster"), .roomByIdOrName("OwnRoomId00000001"),
            ]
        )
    }

    /// JavaScript's `trim()` removes U+FEFF but not U+0085.
    @Test(arguments: [("\u{FEFF}#general", true), ("\u{85}#general", false)])
    func incomingTrimsEntriesAsJavaScriptDoes(channel: String, accepted: Bool) {
        let created = try? Self.incoming(Fixtures.incoming.setting("channel", .string(channel)))
        #expect((created != nil) == accepted)
    }

    // MARK: Incoming: the "post as" user

    @Test(arguments: [nil, "", "   ", 42, ["rocket.cat"], .null] as [JSONValue?])
    func incomingRefusesAMissingBlankOrNonStringUsername(username: JSONValue?) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-username", "Invalid username", method: Self.addIncoming)) {
            try Self.incoming(Fixtures.incoming.replacing("username", with: username), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test func incomingRefusesAPosterThatDoesNotExistBeforeLookingUpAnyRoom() {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-user", "Invalid user", method: Self.addIncoming)) {
            try Self.incoming(Fixtures.incoming.setting("username", "nobody").setting("channel", "#no-such-room"), directory: directory)
        }
        #expect(directory.lookups == [.userByUsername("nobody")])
    }

    /// Blank is checked on the trimmed username, but the user is looked up by the username as sent.
    @Test func incomingLooksThePosterUpByTheUsernameExactlyAsSent() {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-user", "Invalid user", method: Self.addIncoming)) {
            try Self.incoming(Fixtures.incoming.setting("username", " poster"), directory: directory)
        }
        #expect(directory.lookups == [.userByUsername(" poster")])
    }

    @Test func incomingPostAsUserIsThePosterNotTheCaller() throws {
        let created = try Self.incoming(Fixtures.incoming.setting("username", "poster"))
        #expect(created.postAsUserId == Fixtures.poster.id)
        #expect(created.document["userId"] == .string(Fixtures.poster.id))
        #expect(created.document["username"] == "poster")
    }

    // MARK: Incoming: rooms and membership

    @Test(arguments: ["#no-such-room", "@nobody", "#general,#no-such-room", "#", "@"])
    func incomingRefusesAChannelThatNamesNoRoomOrUser(channel: String) {
        #expect(throws: MeteorError("error-invalid-room", "Invalid room", method: Self.addIncoming)) {
            try Self.incoming(Fixtures.incoming.setting("channel", .string(channel)))
        }
    }

    /// `#x` is a room's id or name, `@x` a user's id or username; a caller with both permissions is never asked
    /// for a membership.
    @Test func incomingFindsRoomsByIdOrNameAndUsersByIdOrUsername() throws {
        let directory = Fixtures.directory()
        _ = try Self.incoming(Fixtures.incoming.setting("channel", "#GENERAL,#foreign-room,@stranger,@PosterId000000001"), directory: directory)
        #expect(
            directory.lookups == [
                .userByUsername("rocket.cat"), .roomByIdOrName("GENERAL"), .roomByIdOrName("foreign-room"),
                .userByIdOrUsername("stranger"), .userByIdOrUsername("PosterId000000001"),
            ]
        )
    }

    @Test func incomingStopsAtTheFirstChannelThatNamesNothing() {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-room", "Invalid room", method: Self.addIncoming)) {
            try Self.incoming(Fixtures.incoming.setting("channel", "#general,#no-such-room,#own-room"), directory: directory)
        }
        #expect(directory.lookups == [.userByUsername("rocket.cat"), .roomByIdOrName("general"), .roomByIdOrName("no-such-room")])
    }

    /// Either permission lets a caller create; only both let it target a room it is not in (issue #13103).
    @Test(arguments: [[.manageOwnIncoming], [.manageIncoming]] as [Set<IntegrationPermission>])
    func incomingRefusesARoomTheCallerIsNotIn(permissions: Set<IntegrationPermission>) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", method: Self.addIncoming)) {
            try Self.incoming(Fixtures.incoming.setting("channel", "#foreign-room"), as: Fixtures.caller(permissions), directory: directory)
        }
        #expect(directory.lookups.last == .subscription(userId: Fixtures.callerUser.id, roomId: Fixtures.foreignRoom.id))
    }

    @Test func incomingAcceptsRoomsTheCallerIsInCheckingEachRightAfterItsLookup() throws {
        let directory = Fixtures.directory()
        let created = try Self.incoming(
            Fixtures.incoming.setting("channel", "#own-room,#general"),
            as: Fixtures.caller(Self.ownIncoming),
            directory: directory
        )
        #expect(created.document["channel"] == ["#own-room", "#general"])
        let caller = Fixtures.callerUser.id
        #expect(
            directory.lookups == [
                .userByUsername("rocket.cat"), .roomByIdOrName("own-room"), .subscription(userId: caller, roomId: Fixtures.ownRoom.id),
                .roomByIdOrName("general"), .subscription(userId: caller, roomId: Fixtures.general.id),
            ]
        )
    }

    @Test func incomingStopsAtTheFirstRoomTheCallerIsNotIn() {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", method: Self.addIncoming)) {
            try Self.incoming(
                Fixtures.incoming.setting("channel", "#own-room,#foreign-room,#general"),
                as: Fixtures.caller(Self.ownIncoming),
                directory: directory
            )
        }
        #expect(!directory.lookups.contains(.roomByIdOrName("general")))
    }

    /// Rocket.Chat looks up a subscription to the `@user`'s id as if it were a room, which no caller has, so an
    /// `@user` channel needs both permissions.
    @Test func incomingChecksAnAtUserChannelAsIfTheUserWereARoom() throws {
        let caller = Fixtures.caller(Self.ownIncoming)
        let body = Fixtures.incoming.setting("channel", "@stranger")
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", method: Self.addIncoming)) {
            try Self.incoming(body, as: caller, directory: directory)
        }
        #expect(
            directory.lookups == [
                .userByUsername("rocket.cat"), .userByIdOrUsername("stranger"),
                .subscription(userId: caller.id, roomId: Fixtures.stranger.id),
            ]
        )
        let subscribed = Fixtures.directory(extraSubscriptions: [(caller.id, Fixtures.stranger.id)])
        #expect(try Self.incoming(body, as: caller, directory: subscribed).document["channel"] == ["@stranger"])
    }

    @Test func incomingPassesADirectoryFailureOnUnchanged() {
        #expect(throws: FakeIntegrationDirectory.Failure()) {
            try Self.incoming(Fixtures.incoming, directory: Fixtures.directory(failing: true))
        }
    }

    // MARK: Incoming: the document

    @Test func incomingDocumentIsTheBodyWithRocketChatsFieldsAdded() throws {
        let created = try Self.incoming(Fixtures.incoming.setting("username", "poster"))
        let expected: JSONValue = [
            "type": "webhook-incoming", "name": "Incoming test", "enabled": true, "alias": "test", "username": "poster",
            "scriptEnabled": false, "channel": ["#general"], "scriptEngine": "isolated-vm", "overrideDestinationChannelEnabled": false,
            "userId": "PosterId000000001", "_createdAt": "2024-01-10T14:12:07.739Z", "_createdBy": Fixtures.callerStamp,
            "_id": "NewIntegrationId1", "_updatedAt": "2024-01-10T14:12:07.739Z",
        ]
        #expect(created.document.removing("token").membersSorted == expected.membersSorted)
        #expect(created.document.keys.count == expected.keys.count + 1)
    }

    @Test func incomingTokenIsAFresh48CharacterIdReplacingAnyTokenSent() throws {
        let first = try #require(try Self.incoming(Fixtures.incoming.setting("token", "chosen-by-the-caller")).document["token"]?.stringValue)
        let second = try #require(try Self.incoming(Fixtures.incoming).document["token"]?.stringValue)
        #expect(first.utf8.count == 48)
        #expect(first.utf8.allSatisfy { RandomToken.idAlphabet.contains($0) })
        #expect(first != "chosen-by-the-caller")
        #expect(first != second)
    }

    @Test func incomingKeepsAScriptEngineAndOverrideFlagThatAreSent() throws {
        let created = try Self.incoming(Fixtures.incoming.setting("scriptEngine", "vm2").setting("overrideDestinationChannelEnabled", true))
        #expect(created.document["scriptEngine"] == "vm2")
        #expect(created.document["overrideDestinationChannelEnabled"] == true)
    }

    @Test(arguments: [nil, "webhook-outgoing"] as [JSONValue?])
    func incomingTypeIsAlwaysWebhookIncoming(type: JSONValue?) throws {
        #expect(try Self.incoming(Fixtures.incoming.replacing("type", with: type)).document["type"] == "webhook-incoming")
    }

    @Test func incomingStoresTheScriptAsSentWithoutCompilingIt() throws {
        let script: JSONValue = "class Script { process_incoming_request({ request }) { return { content: { text: 'hi' } }; } }"
        let created = try Self.incoming(Fixtures.incoming.setting("scriptEnabled", true).setting("script", script))
        #expect(created.document["script"] == script)
        #expect(created.document["scriptEnabled"] == true)
        #expect(created.document["scriptCompiled"] == nil)
        #expect(created.document["scriptError"] == nil)
    }

    @Test func defaultStampIsAFreshIdAndTheCurrentTime() throws {
        let before = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let stamp = IntegrationFactory.Stamp()
        let after = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        #expect(stamp.id.utf8.count == 17)
        #expect(stamp.id.utf8.allSatisfy { RandomToken.idAlphabet.contains($0) })
        #expect(stamp.id != IntegrationFactory.Stamp().id)
        let now = try #require(RocketChatDate.milliseconds(fromISO: stamp.now))
        #expect((before...after).contains(now))
    }

    // MARK: Outgoing: permissions

    /// Rocket.Chat's outgoing refusal has no reason and no details (`new Meteor.Error('not_authorized')`).
    @Test(arguments: [[], [.manageIncoming, .manageOwnIncoming]] as [Set<IntegrationPermission>])
    func outgoingRefusesACallerWithNeitherOutgoingPermissionBeforeAnyOtherCheck(permissions: Set<IntegrationPermission>) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("not_authorized")) {
            try Self.outgoing(Fixtures.guggy.setting("event", "noSuchEvent"), as: Fixtures.caller(permissions), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test(arguments: [[.manageOutgoing], [.manageOwnOutgoing], Set(IntegrationPermission.allCases)] as [Set<IntegrationPermission>])
    func outgoingAcceptsEitherOutgoingPermission(permissions: Set<IntegrationPermission>) throws {
        let created = try Self.outgoing(Fixtures.guggy, as: Fixtures.caller(permissions))
        #expect(created.document["type"] == "webhook-outgoing")
        #expect(created.document["_createdBy"] == Fixtures.callerStamp)
    }

    // MARK: Outgoing: required fields

    /// Event, then username, then target room, then URLs: each body below lacks one fewer of them.
    @Test func outgoingChecksTheRequiredFieldsInRocketChatsOrder() throws {
        var body = Fixtures.guggy.removing("event").removing("username").removing("urls")
        #expect(throws: MeteorError("error-invalid-event-type", "Invalid event type", function: Self.requiredFields)) { try Self.outgoing(body) }
        body = body.setting("event", "userCreated")
        #expect(throws: MeteorError("error-invalid-username", "Invalid username", function: Self.requiredFields)) { try Self.outgoing(body) }
        body = body.setting("username", "rocket.cat")
        #expect(throws: MeteorError("error-invalid-targetRoom", "Invalid Target Room", function: Self.requiredFields)) { try Self.outgoing(body) }
        body = body.setting("targetRoom", "#general")
        #expect(throws: MeteorError("error-invalid-urls", "Invalid URLs", function: Self.requiredFields)) { try Self.outgoing(body) }
        body = body.setting("urls", ["http://example.com/hook"])
        #expect(try Self.outgoing(body).document["event"] == "userCreated")
    }

    @Test(arguments: [nil, "", "   ", "noSuchEvent", "SendMessage", 1, ["sendMessage"]] as [JSONValue?])
    func outgoingRefusesAMissingOrUnknownEvent(event: JSONValue?) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-event-type", "Invalid event type", function: Self.requiredFields)) {
            try Self.outgoing(Fixtures.guggy.replacing("event", with: event), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test(arguments: [nil, "", "   ", true] as [JSONValue?])
    func outgoingRefusesAMissingOrBlankUsername(username: JSONValue?) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-username", "Invalid username", function: Self.requiredFields)) {
            try Self.outgoing(Fixtures.guggy.replacing("username", with: username), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test(arguments: [nil, "", .null, false] as [JSONValue?])
    func outgoingUserCreatedRefusesAMissingTargetRoom(targetRoom: JSONValue?) {
        #expect(throws: MeteorError("error-invalid-targetRoom", "Invalid Target Room", function: Self.requiredFields)) {
            try Self.outgoing(Fixtures.guggy.setting("event", "userCreated").replacing("targetRoom", with: targetRoom))
        }
    }

    @Test(arguments: OutgoingEvent.allCases.filter { !$0.usesTargetRoom })
    func outgoingOtherEventsNeedNoTargetRoom(event: OutgoingEvent) throws {
        #expect(try Self.outgoing(Self.guggy(on: event)).document["targetRoom"] == nil)
    }

    @Test(arguments: [nil, "http://example.com/hook", [], ["", "   "], [1], ["http://example.com/hook", .null]] as [JSONValue?])
    func outgoingRefusesURLsThatAreNotANonEmptyListOfStrings(urls: JSONValue?) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-urls", "Invalid URLs", function: Self.requiredFields)) {
            try Self.outgoing(Fixtures.guggy.replacing("urls", with: urls), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test func outgoingDropsBlankURLsAndKeepsTheOthersAsSent() throws {
        let created = try Self.outgoing(Fixtures.guggy.setting("urls", ["http://a", "", "  ", " http://b "]))
        #expect(created.document["urls"] == ["http://a", " http://b "])
    }

    // MARK: Outgoing: channel

    @Test(
        arguments: [nil, "", "   ", ["#general"], 1] as [JSONValue?],
        OutgoingEvent.allCases.filter(\.usesChannel)
    )
    func outgoingChannelEventRefusesAMissingBlankOrNonStringChannel(channel: JSONValue?, event: OutgoingEvent) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", function: Self.validateOutgoing)) {
            try Self.outgoing(Self.guggy(on: event).replacing("channel", with: channel), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    /// The channel of an event that fires everywhere is neither checked nor stored.
    @Test(arguments: OutgoingEvent.allCases.filter { !$0.usesChannel })
    func outgoingEventWithoutChannelsStoresNone(event: OutgoingEvent) throws {
        let directory = Fixtures.directory()
        let created = try Self.outgoing(Self.guggy(on: event).setting("channel", "not a channel"), directory: directory)
        #expect(created.document["channel"] == [])
        #expect(directory.lookups == [.userByUsername("rocket.cat")])
    }

    @Test(arguments: OutgoingEvent.allCases.filter { !$0.usesChannel })
    func outgoingEventWithoutChannelsNeedsTheManagePermission(event: OutgoingEvent) {
        let directory = Fixtures.directory()
        #expect(
            throws: MeteorError("error-invalid-permissions", "Invalid permission for required Integration creation.", function: Self.validateOutgoing)
        ) {
            try Self.outgoing(Self.guggy(on: event), as: Fixtures.caller(Self.ownOutgoing), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test(arguments: ["general", "#general,general", "all_public", "public_channels", "all_public_channels x"])
    func outgoingRefusesAnEntryThatIsNeitherHashNorAtNorAScope(channel: String) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", function: Self.validateOutgoing))
        {
            try Self.outgoing(Fixtures.guggy.setting("channel", .string(channel)), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    /// Unlike the incoming rules, the outgoing ones drop empty entries (Rocket.Chat's `parseCSV`).
    @Test func outgoingSplitsTheChannelTrimmingAndDroppingEmptyEntries() throws {
        let created = try Self.outgoing(Fixtures.guggy.setting("channel", ",#general,, @poster ,"))
        #expect(created.document["channel"] == ["#general", "@poster"])
    }

    /// The syntax check compares scopes case-insensitively, the permission check exactly, so an upper-case scope
    /// is taken for a room and found nowhere (without a lookup: it starts with neither `#` nor `@`).
    @Test(arguments: ["ALL_PUBLIC_CHANNELS", "All_Private_Groups"])
    func outgoingScopeInAnotherCaseIsAnInvalidRoom(channel: String) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-room", "Invalid room", function: Self.channelPermissions)) {
            try Self.outgoing(Fixtures.guggy.setting("channel", .string(channel)), directory: directory)
        }
        #expect(directory.lookups == [.userByUsername("rocket.cat")])
    }

    // MARK: Outgoing: the "post as" user

    @Test func outgoingRefusesAPosterThatDoesNotExistBeforeLookingUpAnyRoom() {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-user", "Invalid user (did you delete the `rocket.cat` user?)", function: Self.validateOutgoing)) {
            try Self.outgoing(Fixtures.guggy.setting("username", "nobody").setting("channel", "#no-such-room"), directory: directory)
        }
        #expect(directory.lookups == [.userByUsername("nobody")])
    }

    @Test func outgoingChecksTheChannelBeforeThePoster() {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", function: Self.validateOutgoing))
        {
            try Self.outgoing(Fixtures.guggy.setting("username", "nobody").setting("channel", "general"), directory: directory)
        }
        #expect(directory.lookups.isEmpty)
    }

    @Test func outgoingPostAsUserIsThePosterNotTheCaller() throws {
        let created = try Self.outgoing(Fixtures.guggy.setting("username", "poster"))
        #expect(created.postAsUserId == Fixtures.poster.id)
        #expect(created.document["userId"] == .string(Fixtures.poster.id))
    }

    // MARK: Outgoing: trigger words and runOnEdits

    @Test(arguments: ["!guggy", [1], ["!a", .null], ["word": "!a"], true] as [JSONValue])
    func outgoingRefusesTriggerWordsThatAreNotAListOfStrings(triggerWords: JSONValue) {
        #expect(throws: MeteorError("error-invalid-triggerWords", "Invalid triggerWords", function: Self.validateOutgoing)) {
            try Self.outgoing(Fixtures.guggy.setting("triggerWords", triggerWords))
        }
    }

    @Test func outgoingDropsBlankTriggerWordsAndKeepsTheOthersAsSent() throws {
        let created = try Self.outgoing(Fixtures.guggy.setting("triggerWords", ["!a", "", "  ", " !b"]))
        #expect(created.document["triggerWords"] == ["!a", " !b"])
    }

    /// An empty list is truthy in JavaScript, so it is kept.
    @Test func outgoingKeepsAnEmptyListOfTriggerWords() throws {
        #expect(try Self.outgoing(Fixtures.guggy.setting("triggerWords", [])).document["triggerWords"] == [])
    }

    @Test(arguments: [nil, "", .null, false, 0] as [JSONValue?])
    func outgoingDropsFalsyTriggerWords(triggerWords: JSONValue?) throws {
        let created = try Self.outgoing(Fixtures.guggy.replacing("triggerWords", with: triggerWords))
        #expect(created.document["triggerWords"] == nil)
    }

    /// Not even checked: only `sendMessage` uses trigger words.
    @Test(arguments: OutgoingEvent.allCases.filter { !$0.usesTriggerWords })
    func outgoingDropsTriggerWordsOfEventsThatDoNotUseThem(event: OutgoingEvent) throws {
        let created = try Self.outgoing(Self.guggy(on: event).setting("triggerWords", "not a list"))
        #expect(created.document["triggerWords"] == nil)
    }

    @Test func outgoingChecksTriggerWordsAfterThePosterAndBeforeTheRooms() {
        let badWords = Fixtures.guggy.setting("triggerWords", "!guggy")
        #expect(throws: MeteorError("error-invalid-user", "Invalid user (did you delete the `rocket.cat` user?)", function: Self.validateOutgoing)) {
            try Self.outgoing(badWords.setting("username", "nobody"))
        }
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-triggerWords", "Invalid triggerWords", function: Self.validateOutgoing)) {
            try Self.outgoing(badWords.setting("channel", "#no-such-room"), directory: directory)
        }
        #expect(directory.lookups == [.userByUsername("rocket.cat")])
    }

    @Test(arguments: [(true, true), (false, false), ("true", false), (1, false), (.null, false)] as [(JSONValue, Bool)])
    func outgoingCoercesRunOnEditsToWhetherItIsExactlyTrue(sent: JSONValue, stored: Bool) throws {
        #expect(try Self.outgoing(Fixtures.guggy.setting("runOnEdits", sent)).document["runOnEdits"] == .bool(stored))
    }

    @Test func outgoingLeavesAnAbsentRunOnEditsAbsent() throws {
        #expect(try Self.outgoing(Fixtures.guggy).document["runOnEdits"] == nil)
    }

    // MARK: Outgoing: channel permissions and membership

    @Test func outgoingAllPublicChannelsNeedsNeitherTheManagePermissionNorALookup() throws {
        let directory = Fixtures.directory()
        let created = try Self.outgoing(
            Fixtures.guggy.setting("channel", "all_public_channels"),
            as: Fixtures.caller(Self.ownOutgoing),
            directory: directory
        )
        #expect(created.document["channel"] == ["all_public_channels"])
        #expect(directory.lookups == [.userByUsername("rocket.cat")])
    }

    @Test(arguments: ["all_private_groups", "all_direct_messages"])
    func outgoingPrivateAndDirectScopesNeedTheManagePermission(channel: String) throws {
        let body = Fixtures.guggy.setting("channel", .string(channel))
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", function: Self.channelPermissions)) {
            try Self.outgoing(body, as: Fixtures.caller(Self.ownOutgoing))
        }
        let directory = Fixtures.directory()
        let created = try Self.outgoing(body, as: Fixtures.caller([.manageOutgoing]), directory: directory)
        #expect(created.document["channel"] == .array([.string(channel)]))
        #expect(directory.lookups == [.userByUsername("rocket.cat")])
    }

    @Test(arguments: ["#no-such-room", "@nobody", "#general,#no-such-room", "#", "@"])
    func outgoingRefusesAChannelThatNamesNoRoomOrUser(channel: String) {
        #expect(throws: MeteorError("error-invalid-room", "Invalid room", function: Self.channelPermissions)) {
            try Self.outgoing(Fixtures.guggy.setting("channel", .string(channel)))
        }
    }

    @Test(arguments: [[.manageOwnOutgoing], [.manageOutgoing]] as [Set<IntegrationPermission>])
    func outgoingRefusesARoomTheCallerIsNotIn(permissions: Set<IntegrationPermission>) {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", function: Self.channelPermissions)) {
            try Self.outgoing(Fixtures.guggy.setting("channel", "#foreign-room"), as: Fixtures.caller(permissions), directory: directory)
        }
        #expect(directory.lookups.last == .subscription(userId: Fixtures.callerUser.id, roomId: Fixtures.foreignRoom.id))
    }

    @Test func outgoingCallerWithBothPermissionsMayUseAnyRoomWithoutAMembershipLookup() throws {
        let directory = Fixtures.directory()
        let created = try Self.outgoing(Fixtures.guggy.setting("channel", "#foreign-room,@stranger"), directory: directory)
        #expect(created.document["channel"] == ["#foreign-room", "@stranger"])
        #expect(directory.lookups == [.userByUsername("rocket.cat"), .roomByIdOrName("foreign-room"), .userByIdOrUsername("stranger")])
    }

    @Test func outgoingChecksChannelsInOrderWithMembershipRightAfterEachRoom() {
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", function: Self.channelPermissions)) {
            try Self.outgoing(
                Fixtures.guggy.setting("channel", "#own-room,all_public_channels,#foreign-room,#general"),
                as: Fixtures.caller(Self.ownOutgoing),
                directory: directory
            )
        }
        let caller = Fixtures.callerUser.id
        #expect(
            directory.lookups == [
                .userByUsername("rocket.cat"), .roomByIdOrName("own-room"), .subscription(userId: caller, roomId: Fixtures.ownRoom.id),
                .roomByIdOrName("foreign-room"), .subscription(userId: caller, roomId: Fixtures.foreignRoom.id),
            ]
        )
    }

    @Test func outgoingChecksAnAtUserChannelAsIfTheUserWereARoom() throws {
        let caller = Fixtures.caller(Self.ownOutgoing)
        let body = Fixtures.guggy.setting("channel", "@stranger")
        let directory = Fixtures.directory()
        #expect(throws: MeteorError("error-invalid-channel", "Invalid Channel", function: Self.channelPermissions)) {
            try Self.outgoing(body, as: caller, directory: directory)
        }
        #expect(directory.lookups.last == .subscription(userId: caller.id, roomId: Fixtures.stranger.id))
        let subscribed = Fixtures.directory(extraSubscriptions: [(caller.id, Fixtures.stranger.id)])
        #expect(try Self.outgoing(body, as: caller, directory: subscribed).document["channel"] == ["@stranger"])
    }

    @Test func outgoingPassesADirectoryFailureOnUnchanged() {
        #expect(throws: FakeIntegrationDirectory.Failure()) {
            try Self.outgoing(Fixtures.guggy, directory: Fixtures.directory(failing: true))
        }
    }

    // MARK: Outgoing: retries

    /// JavaScript's `retryCount && parseInt(String(retryCount)) > 0 ? parseInt(…) : 4`.
    @Test(
        arguments: [
            (nil, "4"), (-2, "4"), (0, "4"), (.null, "4"), ("abc", "4"), (true, "4"), (.number("-0"), "4"), (3, "3"),
            (.number("3.9"), "3"), ("5", "5"), (" 7x", "7"), ("+2", "2"),
        ] as [(JSONValue?, String)]
    )
    func outgoingRetryCountIsThePositiveLeadingIntegerOrFour(sent: JSONValue?, stored: String) throws {
        let body = Fixtures.guggy.setting("retryFailedCalls", true).replacing("retryCount", with: sent)
        #expect(try Self.outgoing(body).document["retryCount"] == .number(stored))
    }

    /// `parseInt(String(n))`: JavaScript writes `1e3` as `1000`, `1e-7` as `1e-7` and `2.5e30` as `2.5e+30`
    /// before `parseInt` reads them (a result that is not positive is the default, 4).
    @Test(
        arguments: [
            ("1e3", "1000"), ("1.5e2", "150"), ("7.9", "7"), ("0.5", "4"), ("1e-6", "4"), ("1e-7", "1"), ("5e-7", "5"),
            ("1e21", "1"), ("2.5e30", "2"), ("-3e-8", "4"), ("1e19", "9223372036854775807"),
        ]
    )
    func outgoingRetryCountReadsAnExponentNumberAsItsValue(literal: String, stored: String) throws {
        let body = Fixtures.guggy.setting("retryFailedCalls", true).setting("retryCount", .number(literal))
        let document = try Self.outgoing(body).document
        #expect(document["retryCount"] == .number(stored))
    }

    /// Lower-cased but not trimmed, as Rocket.Chat's `retryDelay.toLowerCase()`.
    @Test(
        arguments: [
            (nil, "powers-of-ten"), ("", "powers-of-ten"), ("   ", "powers-of-ten"), (.null, "powers-of-ten"),
            ("Powers-Of-Two", "powers-of-two"), (" Increments-Of-Two ", " increments-of-two "), ("whatever", "whatever"),
        ] as [(JSONValue?, String)]
    )
    func outgoingRetryDelayIsLowercasedOrPowersOfTen(sent: JSONValue?, stored: String) throws {
        let body = Fixtures.guggy.setting("retryFailedCalls", true).replacing("retryDelay", with: sent)
        #expect(try Self.outgoing(body).document["retryDelay"] == .string(stored))
    }

    @Test(arguments: [nil, false, 0, "", .null] as [JSONValue?])
    func outgoingLeavesRetryFieldsAloneWithoutRetryFailedCalls(retryFailedCalls: JSONValue?) throws {
        let sent = Fixtures.guggy.replacing("retryFailedCalls", with: retryFailedCalls)
        let kept = try Self.outgoing(sent.setting("retryCount", -2).setting("retryDelay", "Weird")).document
        #expect(kept["retryCount"] == -2)
        #expect(kept["retryDelay"] == "Weird")
        let absent = try Self.outgoing(sent).document
        #expect(absent["retryCount"] == nil)
        #expect(absent["retryDelay"] == nil)
    }

    @Test func outgoingRetryFailedCallsIsAnyTruthyValue() throws {
        let document = try Self.outgoing(Fixtures.guggy.setting("retryFailedCalls", "yes")).document
        #expect(document["retryCount"] == 4)
        #expect(document["retryDelay"] == "powers-of-ten")
        #expect(document["retryFailedCalls"] == "yes")
    }

    // MARK: Outgoing: the document

    @Test func outgoingDocumentIsTheValidatedBodyWithRocketChatsFieldsAdded() throws {
        let created = try Self.outgoing(Fixtures.guggy)
        let expected: JSONValue = [
            "type": "webhook-outgoing", "name": "Guggy", "enabled": true, "alias": "guggy", "username": "rocket.cat",
            "urls": ["http://text2gif.guggy.com/guggify"], "scriptEnabled": false, "event": "sendMessage", "channel": ["#general"],
            "triggerWords": ["!guggy"], "avatar": "https://example.com/guggy.png", "emoji": ":ghost:", "scriptEngine": "isolated-vm",
            "userId": "rocket.cat", "_createdAt": "2024-01-10T14:12:07.739Z", "_createdBy": Fixtures.callerStamp,
            "_id": "NewIntegrationId1", "_updatedAt": "2024-01-10T14:12:07.739Z",
        ]
        #expect(created.document.membersSorted == expected.membersSorted)
        #expect(created.postAsUserId == Fixtures.rocketCat.id)
    }

    /// Unlike an incoming one, an outgoing integration gets no token: it keeps the one sent, if any.
    @Test func outgoingKeepsATokenThatIsSentAndGeneratesNone() throws {
        #expect(try Self.outgoing(Fixtures.guggy).document["token"] == nil)
        #expect(try Self.outgoing(Fixtures.guggy.setting("token", "secret-token")).document["token"] == "secret-token")
    }

    @Test func outgoingKeepsAScriptEngineThatIsSentAndAddsNoOverrideFlag() throws {
        let document = try Self.outgoing(Fixtures.guggy.setting("scriptEngine", "vm2")).document
        #expect(document["scriptEngine"] == "vm2")
        #expect(document["overrideDestinationChannelEnabled"] == nil)
    }

    @Test(arguments: [nil, "webhook-incoming"] as [JSONValue?])
    func outgoingTypeIsAlwaysWebhookOutgoing(type: JSONValue?) throws {
        #expect(try Self.outgoing(Fixtures.guggy.replacing("type", with: type)).document["type"] == "webhook-outgoing")
    }

    @Test func outgoingStoresTheScriptAsSentWithoutCompilingIt() throws {
        let script: JSONValue = "class Script { prepare_outgoing_request({ request }) { return request; } }"
        let document = try Self.outgoing(Fixtures.guggy.setting("scriptEnabled", true).setting("script", script)).document
        #expect(document["script"] == script)
        #expect(document["scriptCompiled"] == nil)
        #expect(document["scriptError"] == nil)
    }

    /// What create and update share: the normalised body (its `channel` still the text sent), the channels and the
    /// poster, with neither stamps nor type.
    @Test func validateOutgoingReturnsTheNormalisedBodyItsChannelsAndThePoster() throws {
        let body = Fixtures.guggy.setting("channel", "#general, @poster").setting("urls", ["http://a", " "])
        let validated = try IntegrationFactory.validateOutgoing(body, caller: Fixtures.admin, directory: Fixtures.directory())
        #expect(validated.channels == ["#general", "@poster"])
        #expect(validated.postAsUserId == Fixtures.rocketCat.id)
        #expect(validated.integration == body.setting("urls", ["http://a"]))
    }
}
