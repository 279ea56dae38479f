namespace Gateway.Hosting;

/// <summary>What stopped a start, as the operator reads it: configuration errors, or one problem of the machine (a port in use).</summary>
internal sealed record StartupProblem(IReadOnlyList<string> Errors, bool IsConfiguration = true);
