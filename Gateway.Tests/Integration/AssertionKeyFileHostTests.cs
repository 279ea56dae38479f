using System.Net;
using System.Security.Cryptography;
using Gateway.Tests.Fixtures;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Integration;

/// <summary>Keys from Gateway:Assertion:KeyFile: the first signs, every one is published, in the file's order.</summary>
public sealed class AssertionKeyFileHostTests : GatewayTestBase, IDisposable
{
    private readonly ECDsa _first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "gw-assertion-" + Guid.NewGuid().ToString("N") + ".pem");

    public AssertionKeyFileHostTests()
        : base(null)
    {
        File.WriteAllText(_path, _first.ExportECPrivateKeyPem() + "\n" + _second.ExportPkcs8PrivateKeyPem() + "\n");
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Assertion:Enabled"] = "true",
        ["Gateway:Assertion:KeyFile"] = _path,
    };

    public void Dispose()
    {
        File.Delete(_path);
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task Proxy_KeyFile_FirstKeySignsAllPublished()
    {
        var response = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = AssertionCheck.Single(Backend.Last);
        var firstPublic = new ECDsaSecurityKey(ECDsa.Create(_first.ExportParameters(false)));
        var secondPublic = new ECDsaSecurityKey(ECDsa.Create(_second.ExportParameters(false)));
        Assert.Equal(Base64UrlEncoder.Encode(firstPublic.ComputeJwkThumbprint()), new JsonWebToken(token).Kid);
        var keys = await AssertionCheck.FetchJwksAsync(Client);
        Assert.Equal([Base64UrlEncoder.Encode(firstPublic.ComputeJwkThumbprint()), Base64UrlEncoder.Encode(secondPublic.ComputeJwkThumbprint())], keys.Keys.Select(k => k.Kid));
        // Verified with the public key the operator holds, not only with what the gateway publishes.
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = AssertionCheck.Origin(Host),
            ValidAudience = "backend",
            IssuerSigningKey = firstPublic,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }
}
