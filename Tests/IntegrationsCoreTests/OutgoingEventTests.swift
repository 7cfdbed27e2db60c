import IntegrationsCore
import Testing

/// Rocket.Chat's `outgoingEvents` (spec 1.5): the seven events and the fields each one uses.
@Suite struct OutgoingEventTests {
    @Test func eventsAreRocketChatsSevenByTheirExactNames() {
        #expect(
            OutgoingEvent.allCases.map(\.rawValue) == [
                "sendMessage", "fileUploaded", "roomArchived", "roomCreated", "roomJoined", "roomLeft", "userCreated",
            ]
        )
        #expect(OutgoingEvent(rawValue: "SendMessage") == nil)
    }

    @Test func messageFileAndMembershipEventsAreBoundToChannels() {
        #expect(OutgoingEvent.allCases.filter(\.usesChannel) == [.sendMessage, .fileUploaded, .roomJoined, .roomLeft])
    }

    @Test func onlySendMessageUsesTriggerWords() {
        #expect(OutgoingEvent.allCases.filter(\.usesTriggerWords) == [.sendMessage])
    }

    @Test func onlyUserCreatedNeedsATargetRoom() {
        #expect(OutgoingEvent.allCases.filter(\.usesTargetRoom) == [.userCreated])
    }
}
