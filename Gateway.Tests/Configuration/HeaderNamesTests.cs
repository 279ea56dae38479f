using Gateway.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class HeaderNamesTests
{
    [Theory]
    [InlineData("X-Auth-User", "x-auth-user")]
    [InlineData("X_Auth_User", "x-auth-user")]
    [InlineData("X.Auth.User", "x-auth-user")]
    [InlineData("x_AUTH.user", "x-auth-user")]
    [InlineData("X-AUTH_USER", "x-auth-user")]
    [InlineData("__Host", "--host")]
    [InlineData("a..b__c", "a--b--c")]
    [InlineData("", "")]
    [InlineData("X+Auth~User", "x+auth~user")]
    public void Normalize_Name_MapsSeparatorsAndCase(string name, string expected)
    {
        Assert.Equal(expected, HeaderNames.Normalize(name));
    }
}
