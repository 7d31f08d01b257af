// SPDX-License-Identifier: GPL-2.0-only
/*
 * The demo's init: check that the real qcom_smem driver and the minidump
 * SMEM backend are bound, load the sample client, unload and load it again
 * (so that unregistering is exercised too), unbind the backend and bind it
 * again (the core gives it every region back), then crash the kernel with
 * sysrq c; or, booted with mddemo=bite, wedge every CPU through the
 * sample's debugfs file, with no panic, as before a watchdog bite; or,
 * booted with mddemo=oops (and oops=panic), oops in the sample; with
 * mddemo=irq, panic in the sample's timer callback, in hard interrupt
 * context; with mddemo=hardlockup or mddemo=overflow, load LKDTM and
 * spin with interrupts off (HARDLOCKUP) or overflow the kernel stack
 * (EXHAUST_STACK) through its DIRECT crash point. Booted
 * with mddemo=mmio, the board has the hypervisor's register block too: of
 * the two backends the first to probe holds the table and the other
 * waits; instead of rebinding the SMEM one, init hands the core over to
 * the MMIO backend (unbinding the one in use, so that the one waiting
 * takes over) before the crash. Booted with
 * mddemo=negative it only reports what is bound and powers off. Lines
 * starting with "mddemo:" are for the host to read.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SAMPLE_KO	"/qcom_minidump_sample.ko"
#define SAMPLE_NAME	"qcom_minidump_sample"
#define SAMPLE_CRASH	"/sys/kernel/debug/qcom_minidump_sample/crash"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define LKDTM_KO	"/lkdtm.ko"
#define LKDTM_DIRECT	"/sys/kernel/debug/provoke-crash/DIRECT"

/* The crash kinds LKDTM brings about: the boot argument, LKDTM's name. */
static const struct {
	const char *arg;
	const char *type;
} lkdtm_kinds[] = {
	{ "mddemo=hardlockup", "HARDLOCKUP" },
	{ "mddemo=overflow", "EXHAUST_STACK" },
};

/* A driver is bound when its sysfs directory links to a device. */
static bool driver_bound(const char *driver)
{
	char path[256];
	struct dirent *de;
	bool bound = false;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s", driver);
	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d))) {
		if (de->d_type == DT_LNK && strcmp(de->d_name, "module"))
			bound = true;
	}
	closedir(d);
	return bound;
}

static bool cmdline_has(const char *word)
{
	char buf[1024] = "";
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return strstr(buf, word);
}

static int load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret ? -errno : 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

#define BACKEND_DRV	"/sys/bus/platform/drivers/qcom-minidump-smem/"
#define MMIO_DRV	"/sys/bus/platform/drivers/qcom-minidump-mmio/"

/* The MMIO backend's device, named after its DT node: "<address>.minidump". */
static bool mmio_device(char *name, size_t size)
{
	struct dirent *de;
	bool found = false;
	DIR *d;

	d = opendir("/sys/bus/platform/devices");
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len > 9 && !strcmp(de->d_name + len - 9, ".minidump")) {
			snprintf(name, size, "%s", de->d_name);
			found = true;
		}
	}
	closedir(d);
	return found;
}

/* unbind or bind DEV with DRIVER_DIR, and check that it took. */
static bool set_bound(const char *driver_dir, const char *driver, const char *dev, bool bind)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s", driver_dir, bind ? "bind" : "unbind");
	return !write_file(path, dev) && driver_bound(driver) == bind;
}

/*
 * Two backends, one core: whichever probed second waits, and takes over
 * every region when the other is unbound. The SMEM one ends up unbound
 * and the MMIO one holding the table, having taken it over from the SMEM
 * one at least once.
 */
static bool hand_over_to_mmio(void)
{
	char dev[256];

	if (!mmio_device(dev, sizeof(dev)))
		return false;
	if (driver_bound("qcom-minidump-mmio")) {
		if (!set_bound(MMIO_DRV, "qcom-minidump-mmio", dev, false))
			return false;
		printf("mddemo: backend handed over from mmio to smem\n");
	}
	if (!set_bound(MMIO_DRV, "qcom-minidump-mmio", dev, true) ||
	    !set_bound(BACKEND_DRV, "qcom-minidump-smem", "qcom-minidump-smem", false))
		return false;
	printf("mddemo: backend handed over from smem to mmio\n");
	return true;
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
}

int main(void)
{
	bool smem, backend, mmio;
	int fd;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	printf("mddemo: init started\n");

	smem = driver_bound("qcom-smem");
	backend = driver_bound("qcom-minidump-smem");
	printf("mddemo: qcom-smem bound: %s\n", smem ? "yes" : "no");
	printf("mddemo: qcom-minidump-smem bound: %s\n", backend ? "yes" : "no");
	mmio = cmdline_has("mddemo=mmio");
	if (mmio) {
		printf("mddemo: qcom-minidump-mmio bound: %s\n",
		       driver_bound("qcom-minidump-mmio") ? "yes" : "no");
		/* Both bound: the second to probe waits for the first. */
		backend = backend && driver_bound("qcom-minidump-mmio");
	}

	if (cmdline_has("mddemo=negative")) {
		printf("mddemo: negative run done\n");
		power_off();
		return 0;
	}
	if (!smem || !backend) {
		printf("mddemo: FAIL: drivers not bound, no crash\n");
		power_off();
		return 1;
	}

	if (load_module(SAMPLE_KO) || syscall(SYS_delete_module, SAMPLE_NAME, O_NONBLOCK) ||
	    load_module(SAMPLE_KO)) {
		printf("mddemo: FAIL: sample module: %s\n", strerror(errno));
		power_off();
		return 1;
	}
	printf("mddemo: sample loaded, unloaded and loaded again\n");

	if (mmio && !hand_over_to_mmio()) {
		printf("mddemo: FAIL: backend hand-over\n");
		power_off();
		return 1;
	}
	if (!mmio) {
		if (!set_bound(BACKEND_DRV, "qcom-minidump-smem", "qcom-minidump-smem", false) ||
		    !set_bound(BACKEND_DRV, "qcom-minidump-smem", "qcom-minidump-smem", true)) {
			printf("mddemo: FAIL: backend unbind and bind\n");
			power_off();
			return 1;
		}
		printf("mddemo: backend unbound and bound again\n");
	}

	/*
	 * The sample's crashes: a wedge before a watchdog bite, an oops in a
	 * module, a panic in a timer callback. The last one comes after the
	 * write returns: wait for it.
	 */
	if (cmdline_has("mddemo=bite") || cmdline_has("mddemo=oops") ||
	    cmdline_has("mddemo=irq")) {
		const char *how = cmdline_has("mddemo=bite") ? "bite" :
				  cmdline_has("mddemo=oops") ? "oops" : "irq";
		int ret;

		printf("mddemo: crashing through the sample: %s\n", how);
		fflush(stdout);
		sync();
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
		ret = write_file(SAMPLE_CRASH, how);
		if (!ret)
			sleep(10);
		printf("mddemo: FAIL: %s %s: %s\n", SAMPLE_CRASH, how,
		       ret ? strerror(-ret) : "no crash");
		power_off();
		return 1;
	}

	/* LKDTM's crashes, from the task that writes the crash point. */
	for (size_t i = 0; i < ARRAY_SIZE(lkdtm_kinds); i++) {
		int ret;

		if (!cmdline_has(lkdtm_kinds[i].arg))
			continue;
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
		ret = load_module(LKDTM_KO);
		if (ret) {
			printf("mddemo: FAIL: %s: %s\n", LKDTM_KO, strerror(-ret));
			power_off();
			return 1;
		}
		printf("mddemo: crashing through LKDTM: %s\n", lkdtm_kinds[i].type);
		fflush(stdout);
		sync();
		ret = write_file(LKDTM_DIRECT, lkdtm_kinds[i].type);
		printf("mddemo: FAIL: %s %s: %s\n", LKDTM_DIRECT, lkdtm_kinds[i].type,
		       ret ? strerror(-ret) : "no crash");
		power_off();
		return 1;
	}

	printf("mddemo: crashing\n");
	fflush(stdout);
	sync();
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd < 0 || write(fd, "c", 1) != 1)
		printf("mddemo: FAIL: sysrq: %s\n", strerror(errno));
	power_off();
	return 1;
}
