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

public sealed class HeaderNamesComparerTests
{
    [Theory]
    [InlineData("X-Auth-User", "x_auth.USER", true)]
    [InlineData("X-Auth-User", "X-Auth-Users", false)]
    [InlineData("X-Auth-User", "X+Auth-User", false)]
    [InlineData("__Host", "--host", true)]
    [InlineData("", "", true)]
    [InlineData("X-Auth-Roles", "X-Auth-Rôles", false)]
    public void Comparer_Names_EqualExactlyWhenNormalizedNamesAre(string a, string b, bool equal)
    {
        Assert.Equal(HeaderNames.Normalize(a) == HeaderNames.Normalize(b), equal);
        Assert.Equal(equal, HeaderNames.Comparer.Equals(a, b));
        if (equal)
        {
            Assert.Equal(HeaderNames.Comparer.GetHashCode(a), HeaderNames.Comparer.GetHashCode(b));
        }
    }
}
