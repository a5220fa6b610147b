namespace Truust.Api.Tests.Contract;

/// <summary>Links follow the address Truust runs on (README: how to change the port).</summary>
public sealed class PublicBaseUrlTests
{
    [Theory]
    [InlineData(null, "http://localhost:5080")]
    [InlineData("", "http://localhost:5080")]
    [InlineData("http://localhost:6000", "http://localhost:6000")]
    [InlineData("http://+:8080", "http://localhost:8080")]
    [InlineData("http://0.0.0.0:7000/;https://*:7001", "http://localhost:7000")]
    [InlineData("https://127.0.0.1:6443", "https://127.0.0.1:6443")]
    public void Links_use_the_first_bound_address_with_a_wildcard_read_as_localhost(string? urls, string expected) =>
        Assert.Equal(expected, TruustOptions.BaseUrlFrom(urls));
}
