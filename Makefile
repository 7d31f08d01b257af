# SPDX-License-Identifier: GPL-2.0-only
#
# Two roles, like the Makefile of an external kernel module:
#  - under kbuild (make -C <kernel tree> M=$PWD), it lists the driver set's
#    objects; in a kernel tree the same objects are listed by the patch to
#    drivers/soc/qcom/Makefile in patches/;
#  - run directly, it is the project's command line (see README.md).

ifneq ($(KERNELRELEASE),)

obj-$(CONFIG_QCOM_MINIDUMP_KUNIT_TEST) += drivers/soc/qcom/qcom_minidump_test.o
obj-$(CONFIG_QCOM_MINIDUMP_LOG_KUNIT_TEST) += drivers/soc/qcom/qcom_minidump_log_test.o
obj-$(CONFIG_SAMPLE_QCOM_MINIDUMP) += samples/qcom_minidump/qcom_minidump_sample.o
obj-$(CONFIG_QCOM_MINIDUMP_SMEM) += drivers/soc/qcom/qcom_minidump_smem.o
obj-$(CONFIG_QCOM_MINIDUMP_SMEM_KUNIT_TEST) += drivers/soc/qcom/qcom_minidump_smem_test.o
obj-$(CONFIG_QCOM_MINIDUMP_TABLE) += drivers/soc/qcom/qcom_minidump_table.o
obj-$(CONFIG_QCOM_MINIDUMP_MMIO) += drivers/soc/qcom/qcom_minidump_mmio.o
obj-$(CONFIG_QCOM_MINIDUMP_TOC_KUNIT) += drivers/soc/qcom/qcom_minidump_toc_kunit.o
obj-$(CONFIG_QCOM_MINIDUMP_MMIO_KUNIT_TEST) += drivers/soc/qcom/qcom_minidump_mmio_test.o
obj-$(CONFIG_QCOM_MINIDUMP_CRASH) += drivers/soc/qcom/qcom_minidump_crash.o
obj-$(CONFIG_QCOM_MINIDUMP_CRASH_KUNIT_TEST) += drivers/soc/qcom/qcom_minidump_crash_test.o
obj-$(CONFIG_QCOM_MINIDUMP_BITE) += drivers/soc/qcom/qcom_minidump_bite.o
obj-$(CONFIG_QCOM_MINIDUMP_BITE_KUNIT_TEST) += drivers/soc/qcom/qcom_minidump_bite_test.o

else

.PHONY: all tree check demo series help

all: help

help:
	@echo "make demo    the main job: an emulated Snapdragon crash and its collection"
	@echo "make check   every test and static check"
	@echo "make tree    set up and prepare the kernel tree in build/linux"
	@echo "make series  the driver set as a patch series on v6.12, in build/series"

tree:
	scripts/prepare-tree.sh

demo:
	scripts/run-demo.sh

check:
	scripts/run-tests.sh

series:
	scripts/series/series.py generate

endif
