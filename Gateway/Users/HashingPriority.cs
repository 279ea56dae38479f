using System.Runtime.InteropServices;

namespace Gateway.Users;

/// <summary>
/// Lowers the scheduling priority of the calling thread for password hashing. .NET ignores
/// <see cref="Thread.Priority"/> on Linux, so the thread asks the kernel itself, which needs no privilege: the
/// <c>SCHED_IDLE</c> policy, under which any ordinary thread that wakes up (proxy, store, Kestrel) takes the core
/// at once, and hashing gets only a sliver while the cores are busy (a login flood slows logins down, not proxied
/// traffic); on idle cores hashing runs at full speed. When that policy is refused, nice 10 instead.
/// Elsewhere, or when both calls fail, nothing changes.
/// </summary>
internal static class HashingPriority
{
    /// <summary>Linux's <c>SCHED_IDLE</c> scheduling policy (policy 0 is <c>SCHED_OTHER</c>).</summary>
    public const int IdlePolicy = 5;

    /// <summary>The nice value used when <see cref="IdlePolicy"/> is refused.</summary>
    public const int FallbackNice = 10;

    private const int PrioProcess = 0;

    /// <summary>Lowers the calling thread; true when one of the two calls took effect.</summary>
    public static bool Lower()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            var tid = GetTid();
            var priority = 0; // struct sched_param { int sched_priority; }, 0 for SCHED_IDLE
            return SetScheduler(tid, IdlePolicy, ref priority) == 0 || SetPriority(PrioProcess, tid, FallbackNice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The calling thread's scheduling policy and nice value as the kernel reports them (for tests), or null off Linux.</summary>
    internal static (int Policy, int Nice)? Current() => OperatingSystem.IsLinux() ? Of(File.ReadAllText("/proc/thread-self/stat")) : null;

    /// <summary>Policy and nice value from a <c>/proc/.../stat</c> line (fields 41 and 19).</summary>
    internal static (int Policy, int Nice) Of(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[38]), int.Parse(fields[16]));
    }

    // DllImport rather than LibraryImport: the generated marshalling would need unsafe code for these small calls.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "sched_setscheduler")]
    private static extern int SetScheduler(int pid, int policy, ref int priority);

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
#pragma warning restore SYSLIB1054
}
