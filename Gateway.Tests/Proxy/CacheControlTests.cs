using Gateway.Proxy;

namespace Gateway.Tests.Proxy;

public sealed class CacheControlTests
{
    [Theory]
    [InlineData("public, max-age=600, s-maxage=600", "private, max-age=600")]
    [InlineData("", "private")]
    [InlineData("max-age=60", "private, max-age=60")]
    [InlineData("PUBLIC,S-MAXAGE=5", "private")]
    [InlineData("private, max-age=60", "private, max-age=60")]
    [InlineData("no-store", "no-store")]
    [InlineData("public, no-cache=\"Set-Cookie, X-A\", s-maxage=\"1\"", "private, no-cache=\"Set-Cookie, X-A\"")]
    [InlineData("publicity=1", "private, publicity=1")]
    public void Private_BackendDirectives_SharedOnesReplacedByPrivate(string value, string expected)
    {
        Assert.Equal(expected, CacheControl.Private(value));
    }

    [Theory]
    [InlineData("", "Cookie")]
    [InlineData("Accept-Encoding", "Accept-Encoding, Cookie")]
    [InlineData("accept-encoding, cookie", "accept-encoding, cookie")]
    [InlineData("*", "*")]
    public void WithVaryCookie_BackendVary_CookieAddedOnce(string vary, string expected)
    {
        Assert.Equal(expected, CacheControl.WithVaryCookie(vary));
    }
}
