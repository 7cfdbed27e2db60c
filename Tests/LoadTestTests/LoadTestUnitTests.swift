import Testing

@testable import LoadTest

@Suite struct RequestMixTests {
    @Test func parsesKindsAndWeights() throws {
        let mix = try RequestMix(parsing: "admin=60,admin-history=20, own = 10,unknown=10")
        #expect(mix == RequestMix.standard)
        #expect(mix.description == "admin=60,admin-history=20,own=10,unknown=10")
        #expect(try RequestMix(parsing: "own").weights.map(\.kind) == [.own])
    }

    @Test func refusesWhatItCannotRun() {
        #expect(throws: LoadTestError.self) { try RequestMix(parsing: "admin=60,delete=5") }
        #expect(throws: LoadTestError.self) { try RequestMix(parsing: "admin=-1") }
        #expect(throws: LoadTestError.self) { try RequestMix(parsing: "admin=x") }
        #expect(throws: LoadTestError.self) { try RequestMix(parsing: "admin=0") }
        #expect(throws: LoadTestError.self) { try RequestMix(parsing: "admin,admin") }
        #expect(throws: LoadTestError.self) { try RequestMix(parsing: "") }
    }

    @Test func picksInProportion() throws {
        let mix = try RequestMix(parsing: "admin=3,unknown=1")
        var generator = SeededGenerator(seed: 7)
        var counts: [RequestMix.Kind: Int] = [:]
        for _ in 0..<40_000 { counts[mix.pick(using: &generator), default: 0] += 1 }
        let admin = Double(counts[.admin] ?? 0) / 40_000
        #expect(abs(admin - 0.75) < 0.02)
        #expect(counts[.own] == nil && counts[.adminHistory] == nil)
    }
}

@Suite struct PlannedRequestTests {
    let dataSet = LoadDataSet(integrations: 1000)

    @Test func theDataSetKnowsOwnersAndHistory() {
        #expect(LoadDataSet.integrationID(42) == "benchint000000042")
        #expect(LoadDataSet.userID(7) == "benchuser00000007")
        #expect(LoadDataSet.creator(ofIntegration: 90) == 11)
        #expect(LoadDataSet.creator(ofIntegration: 1) == 12)
        #expect(dataSet.historyIntegrations == 500)
        #expect(dataSet.storedHistory(ofIntegration: 999) == 10)
        #expect(dataSet.storedHistory(ofIntegration: 998) == 0)
        #expect(LoadDataSet(integrations: 1000, historyIntegrations: 2).storedHistory(ofIntegration: 5) == 0)
        #expect(LoadDataSet(integrations: 1000, historyIntegrations: 2).storedHistory(ofIntegration: 3) == 10)
    }

    @Test func ownRequestsExpectWhatTheRuleSays() {
        var generator = SeededGenerator(seed: 3)
        var owned = 0
        var refused = 0
        for _ in 0..<2000 {
            let request = PlannedRequest.draw(.own, in: dataSet, prefix: "", using: &generator)
            let user = Int(request.userID.dropFirst("benchuser".count))!
            #expect(LoadDataSet.ownPermissionUsers.contains(user))
            let number = Int(request.uri.split(separator: "=")[1].dropFirst("benchint".count).prefix(9))!
            if LoadDataSet.creator(ofIntegration: number) == user {
                owned += 1
                #expect(request.expectation == .integration(id: LoadDataSet.integrationID(number), history: nil))
            } else {
                refused += 1
                #expect(request.expectation == .failure(error: "not-authorized"))
            }
        }
        // About half are the user's own, the rest almost all someone else's.
        #expect(owned > 800 && refused > 800)
    }

    @Test func requestsCarryThePrefixAndTheHistoryChoice() {
        var generator = SeededGenerator(seed: 1)
        let plain = PlannedRequest.draw(.admin, in: dataSet, prefix: "/chat", using: &generator)
        #expect(plain.uri.hasPrefix("/chat/api/v1/integrations.get?integrationId=benchint"))
        #expect(plain.uri.hasSuffix("&historyCount=0"))
        let history = PlannedRequest.draw(.adminHistory, in: dataSet, prefix: "", using: &generator)
        #expect(!history.uri.contains("historyCount"))
        let unknown = PlannedRequest.draw(.unknown, in: dataSet, prefix: "", using: &generator)
        #expect(unknown.expectation == .failure(error: "The integration does not exists."))
    }

    @Test func sameSeedSameRequests() {
        var first = SeededGenerator(seed: 11)
        var second = SeededGenerator(seed: 11)
        for _ in 0..<100 {
            let kind = RequestMix.standard.pick(using: &first)
            #expect(kind == RequestMix.standard.pick(using: &second))
            #expect(
                PlannedRequest.draw(kind, in: dataSet, prefix: "", using: &first).uri
                    == PlannedRequest.draw(kind, in: dataSet, prefix: "", using: &second).uri
            )
        }
    }
}

@Suite struct AnswerCheckTests {
    @Test func acceptsTheRightIntegration() {
        let body =
            #"{"integration":{"_id":"benchint000000001","name":"x"},"history":[{"_id":"h","integration":{"_id":"benchint000000001"}}],"success":true}"#
        #expect(AnswerCheck.problem(in: Array(body.utf8), expected: .integration(id: "benchint000000001", history: 1)) == nil)
    }

    @Test func catchesWrongAnswers() {
        let other = #"{"integration":{"_id":"benchint000000002"},"success":true}"#
        #expect(AnswerCheck.problem(in: Array(other.utf8), expected: .integration(id: "benchint000000001", history: nil)) != nil)
        let withoutHistory = #"{"integration":{"_id":"benchint000000001"},"success":true}"#
        #expect(AnswerCheck.problem(in: Array(withoutHistory.utf8), expected: .integration(id: "benchint000000001", history: nil)) == nil)
        #expect(AnswerCheck.problem(in: Array(withoutHistory.utf8), expected: .integration(id: "benchint000000001", history: 0)) != nil)
        let short = #"{"integration":{"_id":"benchint000000001"},"history":[],"success":true}"#
        #expect(AnswerCheck.problem(in: Array(short.utf8), expected: .integration(id: "benchint000000001", history: 10)) != nil)
        let failure = #"{"success":false,"error":"not-authorized"}"#
        #expect(AnswerCheck.problem(in: Array(failure.utf8), expected: .failure(error: "not-authorized")) == nil)
        #expect(AnswerCheck.problem(in: Array(failure.utf8), expected: .failure(error: "The integration does not exists.")) != nil)
        #expect(AnswerCheck.problem(in: Array("{\"success\":tr".utf8), expected: .failure(error: "x")) != nil)
    }
}

@Suite struct TargetTests {
    @Test func parsesAddresses() throws {
        #expect(try LoadTest.Target(parsing: "http://127.0.0.1:3000") == LoadTest.Target(host: "127.0.0.1", port: 3000))
        #expect(try LoadTest.Target(parsing: "http://localhost/chat/") == LoadTest.Target(host: "localhost", port: 80, pathPrefix: "/chat"))
        let ipv6 = try LoadTest.Target(parsing: "http://[::1]:3000")
        #expect(ipv6.host == "::1" && ipv6.description == "http://[::1]:3000")
    }

    @Test func refusesOtherAddresses() {
        for text in ["https://example.com", "127.0.0.1:3000", "http://", "http://h:3000/?a=1", "http://h:99999"] {
            #expect(throws: LoadTestError.self, "\(text)") { try LoadTest.Target(parsing: text) }
        }
    }
}
