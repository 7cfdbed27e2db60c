import Testing

@testable import LibPQ

@Suite struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<String, Int>

    @Test func startOpensTheMinimum() {
        var machine = Machine(limits: .init(minimum: 2, maximum: 4))
        #expect(machine.start() == 2)
        #expect(machine.connecting == 2)
    }

    @Test func idleConnectionsAreReusedMostRecentFirst() {
        var machine = Machine(limits: .init(minimum: 0, maximum: 2))
        guard case .wait(connect: true) = machine.lease(1) else {
            Issue.record("expected to wait and connect")
            return
        }
        guard case .hand("a", to: 1) = machine.connected("a") else {
            Issue.record("expected a hand-off")
            return
        }
        let released = machine.release("a", broken: false)
        guard released.count == 1, case .none = released[0] else {
            Issue.record("expected idle")
            return
        }
        guard case .use("a") = machine.lease(2) else {
            Issue.record("expected the idle connection")
            return
        }
        #expect(machine.leased == 1)
    }

    @Test func waitersBeyondTheMaximumDoNotConnect() {
        var machine = Machine(limits: .init(minimum: 0, maximum: 1))
        guard case .wait(connect: true) = machine.lease(1) else {
            Issue.record()
            return
        }
        guard case .wait(connect: false) = machine.lease(2) else {
            Issue.record("second waiter must not connect")
            return
        }
        guard case .hand("a", to: 1) = machine.connected("a") else {
            Issue.record()
            return
        }
        guard case .hand("a", to: 2) = machine.release("a", broken: false).first else {
            Issue.record("first in, first served")
            return
        }
    }

    @Test func failingConnectsBackOffOneAttemptAtATime() {
        var machine = Machine(limits: .init(minimum: 0, maximum: 4))
        guard case .wait(connect: true) = machine.lease(1) else {
            Issue.record()
            return
        }
        guard case .wait(connect: true) = machine.lease(2) else {
            Issue.record()
            return
        }
        let error = PostgresError(.connectionFailed, message: "refused")
        guard case .none = machine.connectFailed(error) else {
            Issue.record("another attempt is still in flight")
            return
        }
        guard case .connect(after: let delay) = machine.connectFailed(error) else {
            Issue.record("the last failed attempt schedules the retry")
            return
        }
        #expect(delay == 0.125)
        guard case .wait(connect: false) = machine.lease(3) else {
            Issue.record("no parallel attempts while failing")
            return
        }
        #expect(Machine.backoff(afterFailures: 1) == 0.1)
        #expect(Machine.backoff(afterFailures: 1000) == 10)
        #expect(machine.lastFailure == error)
    }

    @Test func timedOutWaiterIsForgotten() {
        var machine = Machine(limits: .init(minimum: 0, maximum: 1))
        _ = machine.lease(1)
        let first = machine.cancel(1)
        let second = machine.cancel(1)
        #expect(first)
        #expect(!second)
        guard case .none = machine.connected("a") else {
            Issue.record("nobody waits any more")
            return
        }
        #expect(machine.idle == ["a"])
    }

    @Test func brokenConnectionDiscardsIdleSiblingsAndReconnectsForWaiters() {
        var machine = Machine(limits: .init(minimum: 0, maximum: 3))
        _ = machine.lease(1)
        _ = machine.lease(2)
        _ = machine.lease(3)
        _ = machine.connected("a")
        _ = machine.connected("b")
        _ = machine.connected("c")
        _ = machine.release("b", broken: false)
        _ = machine.release("c", broken: false)
        _ = machine.lease(4)  // takes "c"
        _ = machine.lease(5)  // takes "b"
        _ = machine.lease(6)  // waits
        let actions = machine.release("a", broken: true)
        guard case .close(let closed) = actions.first else {
            Issue.record("expected close")
            return
        }
        #expect(Set(closed) == ["a"])
        guard case .connect(after: 0) = actions.last else {
            Issue.record("the waiter needs a new connection")
            return
        }
        #expect(machine.total == 3)
    }

    @Test func brokenConnectionClosesIdleOnes() {
        var machine = Machine(limits: .init(minimum: 0, maximum: 3))
        _ = machine.lease(1)
        _ = machine.lease(2)
        _ = machine.connected("a")
        _ = machine.connected("b")
        _ = machine.release("b", broken: false)
        let actions = machine.release("a", broken: true)
        guard case .close(let closed) = actions.first else {
            Issue.record("expected close")
            return
        }
        #expect(Set(closed) == ["a", "b"])
        #expect(machine.total == 0)
    }

    @Test func closeFailsWaitersAndRefusesNewLeases() {
        var machine = Machine(limits: .init(minimum: 0, maximum: 1))
        _ = machine.lease(1)
        _ = machine.lease(2)
        let (connections, waiters) = machine.close()
        #expect(connections.isEmpty)
        #expect(waiters == [1, 2])
        guard case .fail(let error) = machine.lease(3) else {
            Issue.record("closed pools refuse")
            return
        }
        #expect(error.code == .poolClosed)
        guard case .close(["a"]) = machine.connected("a") else {
            Issue.record("late connections are closed")
            return
        }
    }
}
