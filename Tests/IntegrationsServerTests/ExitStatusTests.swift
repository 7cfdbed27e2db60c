import Testing

@testable import IntegrationsServer

/// `waitpid`'s status word, decoded as glibc's macros decode it.
@Suite struct ExitStatusTests {
    @Test func exitCodesAreTheSecondByte() {
        #expect(ExitStatus(waitStatus: 0) == .exited(code: 0))
        #expect(ExitStatus(waitStatus: 1 << 8) == .exited(code: 1))
        #expect(ExitStatus(waitStatus: 255 << 8) == .exited(code: 255))
        #expect(ExitStatus(waitStatus: 0).isSuccess)
        #expect(!ExitStatus(waitStatus: 2 << 8).isSuccess)
    }

    @Test func signalsAreTheLowSevenBitsWithOrWithoutACoreDump() {
        #expect(ExitStatus(waitStatus: 9) == .killed(signal: 9))
        #expect(ExitStatus(waitStatus: 0x80 | 11) == .killed(signal: 11))
        #expect(!ExitStatus(waitStatus: 15).isSuccess)
    }

    @Test func descriptionsAreWhatTheSupervisorLogs() {
        #expect(ExitStatus.exited(code: 1).description == "exit status 1")
        #expect(ExitStatus.killed(signal: 9).description == "killed by signal 9 (Killed)")
    }
}
