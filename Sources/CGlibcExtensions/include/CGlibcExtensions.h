#ifndef C_GLIBC_EXTENSIONS_H
#define C_GLIBC_EXTENSIONS_H

#include <spawn.h>
#include <sys/socket.h>

/// glibc functions declared only under _GNU_SOURCE, which Swift's Glibc module does not define.

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+): the child closes every descriptor from `lowest` up,
/// whatever its close-on-exec flag.
int cglibc_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

/// `accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)`: the new socket is close-on-exec from the
/// start, so a process spawned meanwhile cannot inherit it.
int cglibc_accept_nonblocking_cloexec(int listener);

/// `pipe2(descriptors, O_CLOEXEC)`: both ends close-on-exec from the start.
int cglibc_pipe_cloexec(int descriptors[2]);

#endif
