#define _GNU_SOURCE
#include "CGlibcExtensions.h"
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

int cglibc_spawn_addclosefrom(void *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np((posix_spawn_file_actions_t *)actions, lowest);
}

short cglibc_spawn_setsid_flag(void) {
    return POSIX_SPAWN_SETSID;
}

int cglibc_spawn_addchdir(void *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np((posix_spawn_file_actions_t *)actions, path);
}

int cglibc_accept_nonblocking_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int cglibc_pipe_cloexec(int descriptors[2]) {
    return pipe2(descriptors, O_CLOEXEC);
}
