using System.Runtime.InteropServices;

namespace Gateway.Users;

/// <summary>
/// Lowers the scheduling priority of the calling thread for password hashing. .NET ignores
/// <see cref="Thread.Priority"/> on Linux, so the thread's nice value is raised instead (<c>setpriority</c> on its
/// thread id, which needs no privilege): when the cores are busy, the scheduler gives proxy and store threads
/// (nice 0) about ten times the share of a hashing thread, so a login flood slows logins down rather than proxied
/// traffic; on idle cores hashing still runs at full speed. Elsewhere, or when the call fails, nothing changes.
/// </summary>
internal static class HashingPriority
{
    /// <summary>The nice value of hashing threads (0 normal, 19 lowest): weight 110 against 1024 for nice 0.</summary>
    public const int Nice = 10;

    private const int PrioProcess = 0;

    /// <summary>Applies <see cref="Nice"/> to the calling thread; true when it took effect.</summary>
    public static bool Lower()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return SetPriority(PrioProcess, GetTid(), Nice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The calling thread's nice value as the kernel reports it (for tests), or null off Linux.</summary>
    internal static int? Current() =>
        OperatingSystem.IsLinux() && File.ReadAllText("/proc/thread-self/stat") is var stat
            ? int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16])
            : null;

    // DllImport rather than LibraryImport: the generated marshalling would need unsafe code for two int calls.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
#pragma warning restore SYSLIB1054
}
