using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Truust.Api.Http;

/// <summary>Every /v1 controller: authenticated by API key, JSON in and out, errors as problem+json.</summary>
[ApiController]
[Authorize(AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName)]
[Produces("application/json")]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status401Unauthorized, "application/problem+json")]
public abstract class ApiControllerBase : ControllerBase
{
    protected Caller Caller => Caller.From(User);
}
