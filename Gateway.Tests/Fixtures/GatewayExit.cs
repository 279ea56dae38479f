namespace Gateway.Tests.Fixtures;

/// <summary>How a gateway process ended: its exit code and what it wrote to stdout and stderr.</summary>
public sealed record GatewayExit(int Code, string Output, string Error)
{
    /// <summary>Both streams, for assertions on what an operator sees and for failure messages.</summary>
    public string All => Output + Error;

    public override string ToString() => $"exit {Code}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
