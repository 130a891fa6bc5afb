import CSamtaleLinux

/// How the process uses memory, set once at its start.
public enum ProcessMemory {
    /// One malloc arena for the whole process (glibc otherwise keeps up to eight per core, one for
    /// each thread that allocates while another does, each with free pages of its own): a kiosk
    /// allocates little and rarely at once, and its resident memory is what it keeps (issue 12:
    /// −0.7 MB at 600 rows, −7 MB at 20,000). Call before any thread starts.
    public static func oneArena() { _ = csamtale_malloc_arenas(1) }
}
