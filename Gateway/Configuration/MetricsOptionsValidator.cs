using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>Checks <c>Gateway:Metrics</c>; its errors are reported with every other configuration error.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        if (options.Metrics.Port is { } port && port is < 1 or > 65535)
        {
            return ValidateOptionsResult.Fail($"Gateway:Metrics:Port must be between 1 and 65535 (got {port}).");
        }
        return ValidateOptionsResult.Success;
    }
}
