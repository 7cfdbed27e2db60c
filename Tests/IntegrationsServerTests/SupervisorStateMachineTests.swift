import Logging
import Testing

@testable import IntegrationsServer

#if canImport(Glibc)
import Glibc
#endif

/// The supervisor's decisions, step by step, with a clock the tests move.
@Suite struct SupervisorStateMachineTests {
    typealias Machine = SupervisorStateMachine
    let t0 = ContinuousClock.now
    let settings = Machine.Settings(workers: 2, heartbeatTimeout: .seconds(10), gracefulTimeout: .seconds(30))

    /// A machine whose two workers (pids 100 and 101) are running and ready.
    func running() -> Machine {
        var machine = Machine(settings: settings)
        #expect(machine.start() == [.spawn(slot: 0, generation: 0), .spawn(slot: 1, generation: 0)])
        _ = machine.spawned(slot: 0, generation: 0, pid: 100, now: t0)
        _ = machine.spawned(slot: 1, generation: 0, pid: 101, now: t0)
        _ = machine.ready(pid: 100, now: t0)
        _ = machine.ready(pid: 101, now: t0)
        return machine
    }

    func spawns(_ actions: [Machine.Action]) -> [Int] {
        actions.compactMap { if case .spawn(let slot, _) = $0 { slot } else { nil } }
    }

    func signals(_ actions: [Machine.Action]) -> [pid_t: Machine.Signal] {
        Dictionary(uniqueKeysWithValues: actions.compactMap { if case .signal(let pid, let signal) = $0 { (pid, signal) } else { nil } })
    }

    func logs(_ actions: [Machine.Action], _ level: Logger.Level) -> [String] {
        actions.compactMap { if case .log(level, let message) = $0 { message } else { nil } }
    }

    @Test func aCrashedWorkerIsRestartedAtOnce() {
        var machine = running()
        let actions = machine.exited(pid: 100, status: "killed by signal 9 (Killed)", now: t0 + .seconds(60))
        #expect(spawns(actions) == [0])
        #expect(logs(actions, .warning).first?.contains("exited unexpectedly: killed by signal 9") == true)
    }

    @Test func aCrashLoopBacksOffAndIsReported() {
        var machine = running()
        var now = t0
        var pid: pid_t = 100
        var delays: [Duration] = []
        for _ in 0..<6 {
            // The worker dies before it is ever ready.
            var actions = machine.exited(pid: pid, status: "exit status 1", now: now)
            var waited = Duration.zero
            while spawns(actions).isEmpty {
                #expect(waited < .seconds(11), "a crash-looping slot must be retried within the backoff cap")
                waited += .milliseconds(50)
                actions = machine.tick(now: now + waited)
            }
            delays.append(waited)
            now += waited
            pid += 10
            _ = machine.spawned(slot: 0, generation: 0, pid: pid, now: now)
        }
        #expect(delays[0] == .zero)
        #expect(delays[1] >= .milliseconds(250) && delays[1] < .milliseconds(300))
        #expect(delays[2] >= .milliseconds(500) && delays[2] < .milliseconds(550))
        #expect(delays[5] >= .milliseconds(4000))
        // Reported once the slot has failed three times in a row.
        var probe = machine
        let report = probe.exited(pid: pid, status: "exit status 1", now: now)
        #expect(logs(report, .error).contains { $0.contains("crash-looping") })
    }

    @Test func aWorkerThatRanWellStartsItsFailureCountAfresh() {
        var machine = running()
        _ = machine.exited(pid: 100, status: "exit status 1", now: t0)
        _ = machine.spawned(slot: 0, generation: 0, pid: 110, now: t0)
        _ = machine.ready(pid: 110, now: t0)
        // Ten seconds of service later it crashes: restarted at once, not after a backoff.
        let actions = machine.exited(pid: 110, status: "exit status 1", now: t0 + .seconds(11))
        #expect(spawns(actions) == [0])
    }

    @Test func aSilentWorkerIsKilledAndReplaced() {
        var machine = running()
        machine.heard(pid: 101, now: t0 + .seconds(9))
        let actions = machine.tick(now: t0 + .seconds(11))
        #expect(signals(actions) == [100: .kill])
        let exit = machine.exited(pid: 100, status: "killed by signal 9 (Killed)", now: t0 + .seconds(11))
        #expect(spawns(exit) == [0])
    }

    @Test func stopDrainsEveryWorkerThenFinishes() {
        var machine = running()
        let actions = machine.stop(now: t0)
        #expect(signals(actions) == [100: .terminate, 101: .terminate])
        #expect(machine.exited(pid: 100, status: "exit status 0", now: t0 + .seconds(1)).contains(.finish) == false)
        let last = machine.exited(pid: 101, status: "exit status 0", now: t0 + .seconds(1))
        #expect(last.contains(.finish))
        #expect(spawns(last).isEmpty)
    }

    @Test func aSecondStopOrTheTimeoutKills() {
        var machine = running()
        _ = machine.stop(now: t0)
        #expect(signals(machine.tick(now: t0 + .seconds(31))).isEmpty)
        #expect(signals(machine.tick(now: t0 + .seconds(33))) == [100: .kill, 101: .kill])

        var again = running()
        _ = again.stop(now: t0)
        #expect(signals(again.stop(now: t0 + .seconds(1))) == [100: .kill, 101: .kill])
    }

    @Test func aReloadRetiresEachOldWorkerOnlyWhenItsSuccessorIsReady() {
        var machine = running()
        let actions = machine.reload(settings: settings, now: t0)
        #expect(actions.contains(.spawn(slot: 0, generation: 1)) && actions.contains(.spawn(slot: 1, generation: 1)))
        _ = machine.spawned(slot: 0, generation: 1, pid: 200, now: t0)
        _ = machine.spawned(slot: 1, generation: 1, pid: 201, now: t0)
        #expect(signals(machine.ready(pid: 200, now: t0)) == [100: .terminate])
        #expect(signals(machine.ready(pid: 201, now: t0)) == [101: .terminate])
        // Retired workers are not restarted.
        #expect(spawns(machine.exited(pid: 100, status: "exit status 0", now: t0)).isEmpty)
    }

    @Test func aReloadWhoseWorkersNeverGetReadyLeavesTheOldOnesServing() {
        var machine = running()
        _ = machine.reload(settings: settings, now: t0)
        _ = machine.spawned(slot: 0, generation: 1, pid: 200, now: t0)
        let crash = machine.exited(pid: 200, status: "exit status 1", now: t0)
        #expect(signals(crash).isEmpty)
        #expect(machine.workers[100]?.state == .ready)
    }

    @Test func aReloadToFewerWorkersRetiresTheRest() {
        var machine = running()
        var fewer = settings
        fewer.workers = 1
        #expect(spawns(machine.reload(settings: fewer, now: t0)) == [0])
        _ = machine.spawned(slot: 0, generation: 1, pid: 200, now: t0)
        #expect(signals(machine.ready(pid: 200, now: t0)) == [100: .terminate, 101: .terminate])
    }

    @Test func ttinAddsAndTtouRemovesAWorker() {
        var machine = running()
        #expect(spawns(machine.addWorker(now: t0)) == [2])
        _ = machine.spawned(slot: 2, generation: 0, pid: 102, now: t0)
        #expect(signals(machine.removeWorker(now: t0)) == [102: .terminate])
        #expect(machine.settings.workers == 2)
        _ = machine.removeWorker(now: t0)
        #expect(machine.settings.workers == 1)
        #expect(machine.removeWorker(now: t0).isEmpty, "never fewer than one worker")
    }

    @Test func signalsDuringAStopChangeNothing() {
        var machine = running()
        _ = machine.stop(now: t0)
        #expect(machine.reload(settings: settings, now: t0).isEmpty)
        #expect(machine.addWorker(now: t0).isEmpty)
        #expect(spawns(machine.exited(pid: 100, status: "killed by signal 9 (Killed)", now: t0)).isEmpty)
    }
}
