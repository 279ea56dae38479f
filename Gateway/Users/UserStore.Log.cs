namespace Gateway.Users;

internal sealed partial class UserStore
{
    [LoggerMessage(EventId = 1100, EventName = "DemoUsers", Level = LogLevel.Warning,
        Message = "Gateway:Users:File is not set: using the embedded demo user 'demo' (password 'demo'). Do not expose this gateway.")]
    private static partial void LogDemoUsers(ILogger logger);

    [LoggerMessage(EventId = 1101, EventName = "UsersReloaded", Level = LogLevel.Information, Message = "Reloaded users from {Path}: {Count} users.")]
    private static partial void LogReloaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 1102, EventName = "UsersReloadFailed", Level = LogLevel.Error, Message = "Could not reload users from {Path}; keeping the previous users: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1103, EventName = "HtpasswdLineRefused", Level = LogLevel.Error, Message = "Refused an entry of {Source}: {Problem}")]
    private static partial void LogRefusedLine(ILogger logger, string source, string problem);

    [LoggerMessage(EventId = 1104, EventName = "NoUsers", Level = LogLevel.Warning, Message = "{Source} holds no usable user: nobody can log in.")]
    private static partial void LogNoUsers(ILogger logger, string source);

    [LoggerMessage(EventId = 1105, EventName = "UsersReloadRetry", Level = LogLevel.Debug, Message = "Retrying the read of {Path}: {Reason}")]
    private static partial void LogReloadRetry(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1106, EventName = "UsersReloadRejected", Level = LogLevel.Error,
        Message = "{Path} holds no usable entry ({Refused} lines refused, see above); keeping the {Count} current users until it is fixed.")]
    private static partial void LogReloadRejected(ILogger logger, string path, int refused, int count);

    [LoggerMessage(EventId = 1107, EventName = "UsersFileEmpty", Level = LogLevel.Warning,
        Message = "{Path} is empty; keeping the {Count} current users (a file being rewritten is empty for a moment). To remove every user, leave a comment line in it.")]
    private static partial void LogReloadEmpty(ILogger logger, string path, int count);
}
