using Gateway.Configuration;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Configuration;

public sealed class StoreTlsValidatorTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    [Fact]
    public void Validate_ReadableFilesRelativeToConfigDirectory_Succeeds()
    {
        var result = Validate(new StoreOptions { TlsCaFile = "ca.crt", TlsClientCertificateFile = "client.crt", TlsClientKeyFile = "client.key" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("missing.crt", "", "", "Gateway:Store:TlsCaFile 'missing.crt' does not exist.")]
    [InlineData("client.key", "", "", "Gateway:Store:TlsCaFile 'client.key' is not a readable PEM file")]
    [InlineData("", "client.crt", "", "Gateway:Store:TlsClientCertificateFile and Gateway:Store:TlsClientKeyFile must be set together.")]
    [InlineData("", "", "client.key", "Gateway:Store:TlsClientCertificateFile and Gateway:Store:TlsClientKeyFile must be set together.")]
    [InlineData("", "client.crt", "server.key", "Gateway:Store:TlsClientCertificateFile 'client.crt' is not a readable PEM file")]
    [InlineData("", "client.crt", "nope.key", "Gateway:Store:TlsClientKeyFile 'nope.key' does not exist.")]
    public void Validate_BadFile_FailsNamingTheKey(string ca, string certificate, string key, string expected)
    {
        var result = Validate(new StoreOptions { TlsCaFile = ca, TlsClientCertificateFile = certificate, TlsClientKeyFile = key });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    public void Dispose() => _certificates.Dispose();

    private Microsoft.Extensions.Options.ValidateOptionsResult Validate(StoreOptions store) =>
        new StoreTlsValidator(new TestHostEnvironment(_certificates.Directory)).Validate(null, new GatewayOptions { Store = store });
}
