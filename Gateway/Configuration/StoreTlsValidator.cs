using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>
/// The Redis TLS files (<c>Gateway:Store:TlsCaFile</c>, <c>TlsClientCertificateFile</c>, <c>TlsClientKeyFile</c>)
/// are read at start, so a missing or unreadable file is a start error naming its key rather than a store that
/// never connects.
/// </summary>
internal sealed class StoreTlsValidator(IHostEnvironment environment) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var store = options.Store;
        var errors = new List<string>();
        if (store.TlsCaFile.Length > 0)
        {
            Check("Gateway:Store:TlsCaFile", store.TlsCaFile, path => X509Certificate2.CreateFromPem(File.ReadAllText(path)).Dispose(), errors);
        }
        if ((store.TlsClientCertificateFile.Length > 0) != (store.TlsClientKeyFile.Length > 0))
        {
            errors.Add("Gateway:Store:TlsClientCertificateFile and Gateway:Store:TlsClientKeyFile must be set together.");
        }
        else if (store.TlsClientCertificateFile.Length > 0)
        {
            var key = ConfigDirectory.Resolve(environment, store.TlsClientKeyFile);
            Check("Gateway:Store:TlsClientKeyFile", store.TlsClientKeyFile, _ => { }, errors);
            if (File.Exists(key))
            {
                Check("Gateway:Store:TlsClientCertificateFile", store.TlsClientCertificateFile,
                    path => X509Certificate2.CreateFromPemFile(path, key).Dispose(), errors);
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void Check(string key, string value, Action<string> load, List<string> errors)
    {
        var path = ConfigDirectory.Resolve(environment, value);
        if (!File.Exists(path))
        {
            errors.Add($"{key} '{value}' does not exist.");
            return;
        }
        try
        {
            load(path);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{key} '{value}' is not a readable PEM file: {e.Message}");
        }
    }
}
