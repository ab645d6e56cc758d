//! Hints that the exam runs inside a virtual machine, read once at start and sent to the proctor
//! as a [`phongthi_protocol::IncidentKind::VirtualMachineHint`], and the number of connected
//! monitors ([`phongthi_protocol::IncidentKind::MultipleMonitors`] when more than one). A hint, never a verdict and
//! never a block: some schools run lab PCs as VMs on purpose.
//!
//! On Linux: the DMI product name and vendor (`/sys/class/dmi/id/`) and the `hypervisor` CPU
//! flag (`/proc/cpuinfo`). Elsewhere: nothing yet.

/// Product or vendor names of common hypervisors, lower case.
const HYPERVISOR_NAMES: &[&str] =
    &["virtualbox", "vmware", "kvm", "qemu", "bochs", "xen", "hyper-v", "virtual machine", "parallels", "bhyve"];

/// The hints in the given DMI fields and `/proc/cpuinfo` text.
pub fn vm_hints_from(product: &str, vendor: &str, cpuinfo: &str) -> Vec<String> {
    let mut hints = Vec::new();
    for (field, value) in [("product_name", product), ("sys_vendor", vendor)] {
        let lower = value.trim().to_lowercase();
        if HYPERVISOR_NAMES.iter().any(|name| lower.contains(name)) {
            hints.push(format!("DMI {field} = {}", value.trim()));
        }
    }
    let flagged = cpuinfo
        .lines()
        .filter(|line| line.starts_with("flags"))
        .any(|line| line.split_whitespace().any(|flag| flag == "hypervisor"));
    if flagged {
        hints.push("CPU flag hypervisor".to_owned());
    }
    hints
}

/// How many displays the kernel reports connected, from the `status` files of the DRM
/// connectors (`/sys/class/drm/card0-HDMI-A-1/status` = `connected`). eframe 0.37 tells only
/// the current monitor's size, so a second screen (a student's notes shown to a neighbour, a
/// mirrored projector) is read where the kernel lists it. Linux only; elsewhere 0 (unknown).
pub fn connected_monitors_from(statuses: &[String]) -> usize {
    statuses.iter().filter(|status| status.trim() == "connected").count()
}

/// [`connected_monitors_from`] this machine's connectors.
pub fn connected_monitors() -> usize {
    let Ok(entries) = std::fs::read_dir("/sys/class/drm") else { return 0 };
    let statuses: Vec<String> = entries
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains('-'))
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("status")).ok())
        .collect();
    connected_monitors_from(&statuses)
}

/// The hints of this machine.
pub fn vm_hints() -> Vec<String> {
    if !cfg!(target_os = "linux") {
        return Vec::new();
    }
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    vm_hints_from(
        &read("/sys/class/dmi/id/product_name"),
        &read("/sys/class/dmi/id/sys_vendor"),
        &read("/proc/cpuinfo"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_connected_connectors_count_as_monitors() {
        let statuses = |list: &[&str]| list.iter().map(|s| format!("{s}\n")).collect::<Vec<_>>();
        assert_eq!(connected_monitors_from(&statuses(&["connected", "disconnected", "connected"])), 2);
        assert_eq!(connected_monitors_from(&statuses(&["disconnected", "unknown"])), 0);
        assert_eq!(connected_monitors_from(&[]), 0);
    }

    #[test]
    fn hypervisors_are_recognised_and_real_pcs_are_not() {
        let cpu = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr hypervisor lahf_lm\n";
        assert_eq!(
            vm_hints_from("VirtualBox\n", "innotek GmbH\n", cpu),
            vec!["DMI product_name = VirtualBox".to_owned(), "CPU flag hypervisor".to_owned()]
        );
        assert_eq!(vm_hints_from("Standard PC (Q35 + ICH9, 2009)", "QEMU", ""), vec!["DMI sys_vendor = QEMU"]);
        let real = "flags\t\t: fpu vme de pse tsc msr sse2 lahf_lm\n";
        assert!(vm_hints_from("OptiPlex 3020", "Dell Inc.", real).is_empty());
        assert!(vm_hints_from("", "", "").is_empty(), "unreadable files are no hint");
    }
}
