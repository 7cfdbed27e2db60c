import IntegrationsCore
import Testing

/// `PageRequest`: Rocket.Chat's `getPaginationItems` with its default settings (spec 2.3).
@Suite struct PageRequestTests {
    @Test func withoutACountAPageHoldsFiftyFromTheStart() {
        let page = PageRequest()
        #expect(page.offset == 0)
        #expect(page.limit == 50)
        #expect(PageRequest(offset: 7).limit == PageRequest.defaultCount)
    }

    /// `API_Allow_Infinite_Count` is on by default.
    @Test func aCountOfZeroMeansEverything() {
        #expect(PageRequest(count: 0).limit == nil)
    }

    @Test(arguments: [(1, 1), (49, 49), (100, 100), (101, 100), (Int.max, 100)])
    func aCountIsCappedAtOneHundred(count: Int, limit: Int) {
        #expect(PageRequest(count: count).limit == limit)
    }

    @Test func theOffsetIsKeptAsGiven() {
        #expect(PageRequest(offset: 250, count: 10) == PageRequest(offset: 250, count: 10))
        #expect(PageRequest(offset: 250, count: 10).offset == 250)
        #expect(PageRequest(offset: 250, count: 10) != PageRequest(offset: 0, count: 10))
    }
}
