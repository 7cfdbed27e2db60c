#ifndef C_GLIBC_EXTENSIONS_H
#define C_GLIBC_EXTENSIONS_H

// glibc functions declared only under _GNU_SOURCE, which Swift's Glibc module does not define.
// This header includes no system header on purpose: Swift would otherwise attribute the system's
// declarations (timeval, SOCK_STREAM, …) to this module in some files and not in others.

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+) on a `posix_spawn_file_actions_t *`: the child
/// closes every descriptor from `lowest` up, whatever its close-on-exec flag.
int cglibc_spawn_addclosefrom(void *actions, int lowest);

/// `POSIX_SPAWN_SETSID` (glibc 2.26+), the `posix_spawnattr_setflags` flag that starts the child in a new session.
short cglibc_spawn_setsid_flag(void);

/// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+) on a `posix_spawn_file_actions_t *`: the child
/// changes to `path` before the later file actions and the exec.
int cglibc_spawn_addchdir(void *actions, const char *path);

/// `accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)`: the new socket is close-on-exec from the
/// start, so a process spawned meanwhile cannot inherit it.
int cglibc_accept_nonblocking_cloexec(int listener);

/// `pipe2(descriptors, O_CLOEXEC)`: both ends close-on-exec from the start.
int cglibc_pipe_cloexec(int descriptors[2]);

#endif
