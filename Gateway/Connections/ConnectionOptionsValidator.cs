using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Connections;

/// <summary>Checks the <c>Gateway:Connections</c> keys, reported with the other configuration errors at start.</summary>
internal sealed class ConnectionOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        var connections = options.Connections;
        if (connections.MaxTracked < 1)
        {
            errors.Add($"Gateway:Connections:MaxTracked must be positive (got {connections.MaxTracked}).");
        }
        if (connections.StreamAfter <= TimeSpan.Zero)
        {
            errors.Add($"Gateway:Connections:StreamAfter must be positive (got {connections.StreamAfter}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
