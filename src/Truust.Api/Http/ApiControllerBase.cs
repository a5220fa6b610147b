using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Truust.Api.Http;

/// <summary>Every /v1 controller: authenticated by API key, JSON in and out, errors as problem+json. Its success and
/// error responses are documented by convention (Http/OpenApiContract.cs), not by attributes.</summary>
[ApiController]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName)]
[Produces("application/json")]
public abstract class ApiControllerBase : ControllerBase
{
    protected Caller Caller => Caller.From(User);
}
