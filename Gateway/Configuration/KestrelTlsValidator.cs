using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>
/// Kestrel's HTTPS certificates (<c>Kestrel:Certificates:*</c> and <c>Kestrel:Endpoints:*:Certificate</c>: a PEM
/// <c>Path</c> with its <c>KeyPath</c>, or a PKCS#12 <c>Path</c> with its <c>Password</c>) are checked with the rest of
/// the configuration: Kestrel itself reads them only while binding, and fails the start with a stack trace.
/// </summary>
internal sealed class KestrelTlsValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        var kestrel = configuration.GetSection("Kestrel");
        var certificates = kestrel.GetSection("Certificates").GetChildren()
            .Concat(kestrel.GetSection("Endpoints").GetChildren().Select(e => e.GetSection("Certificate")));
        foreach (var certificate in certificates)
        {
            if (certificate["Path"] is { Length: > 0 } path)
            {
                Check(certificate, path, errors);
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void Check(IConfigurationSection certificate, string path, List<string> errors)
    {
        var full = ConfigDirectory.Resolve(environment, path);
        var key = certificate["KeyPath"] is { Length: > 0 } keyPath ? ConfigDirectory.Resolve(environment, keyPath) : null;
        if (!File.Exists(full))
        {
            errors.Add($"{certificate.Path}:Path '{path}' does not exist.");
            return;
        }
        if (key is not null && !File.Exists(key))
        {
            errors.Add($"{certificate.Path}:KeyPath '{certificate["KeyPath"]}' does not exist.");
            return;
        }
        try
        {
            using var loaded = key is not null ? X509Certificate2.CreateFromPemFile(full, key)
                : Path.GetExtension(full) is ".pem" or ".crt" ? X509Certificate2.CreateFromPem(File.ReadAllText(full))
                : X509CertificateLoader.LoadPkcs12FromFile(full, certificate["Password"]);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{certificate.Path}:Path '{path}' is not a readable certificate{(key is null ? "" : " with its KeyPath")}: {e.Message}");
        }
    }
}
