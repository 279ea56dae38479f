using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Assertions;

/// <summary>Checks <c>Gateway:Assertion</c>; its errors are reported with every other configuration error.</summary>
internal sealed class AssertionOptionsValidator(IHostEnvironment environment) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var assertion = options.Assertion;
        var errors = new List<string>();
        if (assertion.Lifetime < TimeSpan.FromSeconds(1) || assertion.Lifetime > AssertionOptions.MaxLifetime)
        {
            errors.Add($"Gateway:Assertion:Lifetime must be between 00:00:01 and 00:05:00 (got {assertion.Lifetime}).");
        }
        // The next key is published a whole period before it signs: that period must outlast a backend's cached key set.
        if (assertion.KeyRotation < AssertionOptions.JwksMaxAge)
        {
            errors.Add($"Gateway:Assertion:KeyRotation must be at least 00:05:00, the key set's cache lifetime (got {assertion.KeyRotation}).");
        }
        if (assertion.Issuer.Length > 0 && (!Uri.TryCreate(assertion.Issuer, UriKind.Absolute, out _) || assertion.Issuer.Any(c => c <= ' ' || c > '~')))
        {
            errors.Add($"Gateway:Assertion:Issuer must be an absolute URI such as https://gateway.example.com (got '{assertion.Issuer}').");
        }
        if (assertion.Enabled && assertion.KeyFile.Length > 0)
        {
            foreach (var key in AssertionKeyFile.Read(ConfigDirectory.Resolve(environment, assertion.KeyFile), assertion.KeyFile, errors))
            {
                key.Dispose();
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
