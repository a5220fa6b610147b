using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Reliability;

/// <summary>Who a hostile request claims to be.</summary>
public enum Credentials
{
    PlatformKey,
    PlatformKeyClaimingAnotherPlatform,
    OperatorKey,
    OperatorActingAsPlatform,
    OperatorActingAsNobody,
    NoKey,
    WrongKey,
}

/// <summary>
/// One thing wrong or odd about a request. <paramref name="MustRefuse"/>: this alone obliges the API to refuse the
/// request (a negative amount, an unknown field); otherwise the request may still be legitimate (an emoji in a name).
/// </summary>
public sealed record Attack(string Description, bool MustRefuse)
{
    public override string ToString() => MustRefuse ? Description : $"({Description})";
}

/// <summary>A generated request, printable so that a failure shows exactly what was sent.</summary>
public sealed record HostileRequest(
    string Operation,
    string Method,
    string Url,
    Credentials Credentials,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    byte[]? Body,
    IReadOnlyList<Attack> Attacks
)
{
    private static readonly JsonSerializerOptions PrintOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public bool IsRead => Method == "GET";

    /// <summary>Whether any attack obliges the API to refuse: then only a 4xx is right.</summary>
    public bool MustBeRefused => Attacks.Any(a => a.MustRefuse);

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Shorten(Url, 300)} as {Credentials}");
        foreach (var (name, value) in Headers.Where(h => h.Key != "Authorization"))
        {
            text.Append($", {name}: {Shorten(value, 60)}");
        }

        if (Body is not null)
        {
            text.Append($", {ContentType ?? "no content type"}: {Shorten(Encoding.UTF8.GetString(Body), 400)}");
        }

        return text.Append($" [{string.Join("; ", Attacks)}]").ToString();
    }

    private static string Shorten(string text, int max)
    {
        var escaped = JsonSerializer.Serialize(text, PrintOptions)[1..^1];
        return escaped.Length <= max ? escaped : $"{escaped[..max]}… ({text.Length} chars)";
    }
}

/// <summary>
/// CsCheck generators of hostile requests for each operation of the OpenAPI document: malformed JSON, wrong JSON
/// types, negative, zero and huge amounts, long strings, odd Unicode, unknown and missing fields, arrays for
/// objects, deep nesting, unknown and foreign ids, odd path parameters, bad query parameters, wrong content types,
/// empty bodies and every kind of caller. Values that are not attacks come from <see cref="HostileWorld"/>, so a
/// request that survives its attacks reaches real objects.
/// </summary>
/// <remarks>
/// A third of the requests are broad: every part of the request may be hostile at once. The rest are focused: one
/// part (the caller, the method, a path parameter, a query parameter, one body field, the body as a whole, the
/// content type, a header) is hostile and everything else is what a careful platform would send, so the attack
/// reaches the validators and the services behind them instead of stopping at the first refusal. With
/// <c>tolerableOnly</c>, only attacks that do not oblige a refusal are drawn (see <see cref="Tolerable"/>).
/// </remarks>
public sealed class HostileRequests(
    HostileWorld world,
    IReadOnlyList<OperationShape> operations,
    bool controlCharactersAreRefused,
    bool tolerableOnly = false
)
{
    private const string LoneSurrogate = "@@LONE_SURROGATE@@";
    private const string InvalidUtf8 = "@@INVALID_UTF8@@";
    private const string UnknownSuffix = "0000000000000000000000000000";

    /// <summary>
    /// Operations that move money out of something that exists (a wallet's balance, an order's escrow): the largest
    /// amount the API accepts is more than anything in <see cref="HostileWorld"/> holds, so it must be refused.
    /// </summary>
    private static readonly HashSet<string> Overdrawing =
    [
        "POST /v1/transfers",
        "POST /v1/transfers/batch",
        "POST /v1/wallets/{id}/withdrawals",
        "POST /v1/orders/{id}/refunds",
    ];

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Text a careful API stores or refuses, but never chokes on.</summary>
    private static readonly string[] OddText =
    [
        "",
        "   ",
        "\u202Eevil\u202C.exe",
        "Z\u0351\u0352\u0353\u0354algo",
        "e\u0301\u0301\u0301",
        "\uFEFFbom",
        "\u200B\u200C\u200D",
        "😀🇪🇸👩‍👩‍👧",
        "İıſKÅ",
        "１２３",
        "\uFFFF\uFFFE",
        "\u2028\u2029",
        "tab\tnew\r\nline",
        "<script>alert(1)</script>",
        "'; DROP TABLE orders; --",
        "${jndi:ldap://example.com/a}",
        "{{7*7}}",
        "%s%n%x",
        "\\\"\\u0000",
        "𝕆𝕣𝕕𝕖𝕣",
    ];

    /// <summary>C0 controls other than tab and line breaks, and DEL: the 'edges' branch refuses them.</summary>
    private static readonly string[] ControlText = ["\0", "a\0b", "\u0001", "\u001b[2J", "\u007f", "\b"];

    private static readonly string[] OddIds =
    [
        "..",
        "../../v1/platform",
        "%00",
        "%2e%2e%2f",
        "' OR '1'='1",
        "*",
        "null",
        "-1",
        "0",
        "1e30",
        "😀",
        "\u202Eord",
        "a;b",
        "CON",
        "ord_%",
        "𝕆𝕣𝕕",
    ];

    private readonly int _cardYear = world.Now.Year + 3;

    private sealed record CallerPart(Credentials Credentials, KeyValuePair<string, string>[] Headers, Attack? Attack);

    private sealed record PathPart(string Name, string Value, Attack? Attack);

    private sealed record QueryPart(string Pair, Attack? Attack);

    private sealed record BodyPart(string? ContentType, byte[]? Bytes, List<Attack> Attacks);

    private sealed record HeaderPart(KeyValuePair<string, string> Header, Attack Attack);

    private sealed record FieldPart(string Name, JsonNode? Value, Attack? Attack, bool Present);

    private sealed record RootPart(Func<string, string?> Change, Attack? Attack, bool KeepsFields);

    private sealed record ContentTypePart(string? Value, Attack? Attack);

    /// <summary>The part of a request a focused request attacks.</summary>
    private enum Focus
    {
        Everything,
        Caller,
        Path,
        Query,
        Field,
        Root,
        ContentType,
        ExtraField,
        Headers,
        Method,
    }

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>One request per operation, in the document's order: a batch covers every operation.</summary>
    public Gen<HostileRequest[]> Batch() => Sequence(operations.Select(For)).Select(requests => requests.ToArray());

    /// <summary>One <see cref="Tolerable"/> request per operation that writes.</summary>
    public Gen<HostileRequest[]> TolerableBatch() =>
        Sequence(
                operations
                    .Where(o => !o.IsRead)
                    // Revoking the platform's only key would leave every later request unauthenticated.
                    .Where(o => o.Name != "DELETE /v1/platforms/{id}/api_keys/{keyId}")
                    .Select(Tolerable)
            )
            .Select(requests => requests.ToArray());

    /// <summary>
    /// A hostile request for <paramref name="operation"/>. A request that writes always carries an attack that
    /// obliges the API to refuse it, so every write must answer 4xx and change nothing; a read may be legitimate.
    /// </summary>
    public Gen<HostileRequest> For(OperationShape operation) => Any(operation).Where(r => r.IsRead || r.MustBeRefused);

    /// <summary>
    /// A write whose attacks are all odd but readable (an emoji name, a date in year 9999, a duplicate field): the
    /// API may take it or refuse it, but must never fail on it. These reach the services and the database, which
    /// the refused ones never do.
    /// </summary>
    public Gen<HostileRequest> Tolerable(OperationShape operation) =>
        Any(operation).Where(r => !r.IsRead && !r.MustBeRefused && r.Attacks.Count > 0);

    private Gen<HostileRequest> Any(OperationShape operation)
    {
        // Every attack on the caller or a path parameter obliges a refusal; the other parts have tolerable ones.
        var focuses = new List<(int, Gen<Focus>)> { (tolerableOnly ? 0 : 1, Gen.Const(Focus.Caller)) };
        focuses.Add((1, Gen.Const(Focus.Headers)));
        if (operation.PathParameters.Count > 0)
        {
            focuses.Add((tolerableOnly ? 0 : 2, Gen.Const(Focus.Path)));
        }

        if (operation.QueryParameters.Count > 0)
        {
            focuses.Add((2, Gen.Const(Focus.Query)));
        }

        if (operation.Body is not null)
        {
            focuses.Add((operation.Body.Fields.Count > 0 ? 5 : 0, Gen.Const(Focus.Field)));
            focuses.Add((2, Gen.Const(Focus.Root)));
            focuses.Add((1, Gen.Const(Focus.ContentType)));
            focuses.Add((1, Gen.Const(Focus.ExtraField)));
        }

        // A method the path does not declare: 405 (or 404), whatever else the request says.
        var declared = operations.Where(o => o.Template == operation.Template).Select(o => o.Method).ToHashSet();
        var undeclared = Methods.Where(m => !declared.Contains(m)).ToArray();
        focuses.Add((undeclared.Length > 0 && !tolerableOnly ? 1 : 0, Gen.Const(Focus.Method)));
        var focus = Weighted((tolerableOnly ? 0 : 1, Gen.Const(Focus.Everything)), (2, Weighted([.. focuses])));
        return (
            from f in focus
            from method in f == Focus.Method ? Pick(undeclared) : Gen.Const(operation.Method)
            from caller in Caller(f)
            from path in PathParameters(operation, caller.Credentials, f)
            from query in Query(operation, f)
            from body in Body(operation, f)
            from headers in ExtraHeaders(operation, f)
            select Build(operation, method, caller, path, query, body, headers)
        );
    }

    private static HostileRequest Build(
        OperationShape operation,
        string method,
        CallerPart caller,
        List<PathPart> path,
        List<QueryPart> query,
        BodyPart body,
        List<HeaderPart> headers
    )
    {
        var url = operation.Template;
        foreach (var part in path)
        {
            url = url.Replace("{" + part.Name + "}", Uri.EscapeDataString(part.Value), StringComparison.Ordinal);
        }

        var pairs = query.Select(q => q.Pair).Where(p => p.Length > 0).ToList();
        if (pairs.Count > 0)
        {
            url += "?" + string.Join("&", pairs);
        }

        List<Attack?> attacks =
        [
            method == operation.Method ? null : new Attack($"method {method}", true),
            caller.Attack,
            .. path.Select(p => p.Attack),
            .. query.Select(q => q.Attack),
            .. body.Attacks,
            .. headers.Select(h => h.Attack),
        ];
        return new HostileRequest(
            operation.Name,
            method,
            url,
            caller.Credentials,
            [.. caller.Headers, .. headers.Select(h => h.Header)],
            body.ContentType,
            body.Bytes,
            [.. attacks.OfType<Attack>()]
        );
    }

    // ---- Callers ----------------------------------------------------------------------------------------------

    private Gen<CallerPart> Caller(Focus focus)
    {
        var operatorKey = Header("Authorization", "Bearer " + TruustApiFactory.OperatorKey);
        var legitimate = Weighted(
            (6, Gen.Const(new CallerPart(Credentials.PlatformKey, [PlatformKey()], null))),
            (
                1,
                Gen.Const(
                    new CallerPart(
                        Credentials.OperatorActingAsPlatform,
                        [operatorKey, Header("Truust-Platform", world.Platform.Id)],
                        null
                    )
                )
            )
        );
        var wrongKeys = new (string Label, string Value)[]
        {
            ("an unknown key", "Bearer sk_test_" + UnknownSuffix),
            ("a 5,000-character key", "Bearer " + new string('k', 5_000)),
            ("Basic credentials", "Basic dXNlcjpwYXNzd29yZA=="),
            ("'Bearer' without a key", "Bearer"),
            ("the key without 'Bearer'", world.Platform.Secret),
            ("the key in upper case", "Bearer " + world.Platform.Secret.ToUpperInvariant()),
            ("another scheme", "Token " + world.Platform.Secret),
        };
        var other = Weighted(
            // Not an attack: the operator may do much, but every write here carries another attack it must refuse.
            (3, Gen.Const(new CallerPart(Credentials.OperatorKey, [operatorKey], null))),
            (
                1,
                Pick("plt_" + UnknownSuffix, world.Other.Id + "x", new string('p', 3_000))
                    .Select(nobody => new CallerPart(
                        Credentials.OperatorActingAsNobody,
                        [operatorKey, Header("Truust-Platform", nobody)],
                        new Attack("the operator acting as an unknown platform", true)
                    ))
            ),
            (1, Gen.Const(new CallerPart(Credentials.NoKey, [], new Attack("no key", true)))),
            // Only the operator may act as a platform: a platform's key with the header still sees its own objects.
            (
                1,
                Gen.Const(
                    new CallerPart(
                        Credentials.PlatformKeyClaimingAnotherPlatform,
                        [PlatformKey(), Header("Truust-Platform", world.Other.Id)],
                        null
                    )
                )
            ),
            (
                1,
                Pick(wrongKeys)
                    .Select(key => new CallerPart(
                        Credentials.WrongKey,
                        [Header("Authorization", key.Value)],
                        new Attack($"wrong key: {key.Label}", true)
                    ))
            )
        );
        return focus switch
        {
            Focus.Everything => Weighted((23, legitimate), (6, other)),
            Focus.Caller => other,
            _ => legitimate,
        };
    }

    private KeyValuePair<string, string> PlatformKey() => Header("Authorization", "Bearer " + world.Platform.Secret);

    private static KeyValuePair<string, string> Header(string name, string value) => new(name, value);

    // ---- Path parameters --------------------------------------------------------------------------------------

    private Gen<List<PathPart>> PathParameters(OperationShape operation, Credentials credentials, Focus focus)
    {
        var parameters = operation.PathParameters;
        if (parameters.Count == 0)
        {
            return Gen.Const(new List<PathPart>());
        }

        return focus switch
        {
            Focus.Everything => Sequence(
                parameters.Select(p =>
                    Weighted((14, OwnPath(operation, p)), (5, HostilePath(operation, p, credentials)))
                )
            ),
            Focus.Path => Gen.Int[0, parameters.Count - 1]
                .SelectMany(target =>
                    Sequence(
                        parameters.Select(
                            (p, i) => i == target ? HostilePath(operation, p, credentials) : OwnPath(operation, p)
                        )
                    )
                ),
            _ => Sequence(parameters.Select(p => OwnPath(operation, p))),
        };
    }

    private static string CollectionOf(OperationShape operation, FieldShape parameter)
    {
        var segments = operation.Template.Split('/');
        var index = Array.IndexOf(segments, "{" + parameter.Name + "}");
        return index > 0 ? segments[index - 1] : parameter.Name;
    }

    private Gen<PathPart> OwnPath(OperationShape operation, FieldShape parameter)
    {
        var collection = CollectionOf(operation, parameter);
        return Gen.Int[0, 9]
            .Select(i => new PathPart(parameter.Name, world.Pick(collection, false, i) ?? Unknown(collection), null));
    }

    private Gen<PathPart> HostilePath(OperationShape operation, FieldShape parameter, Credentials credentials)
    {
        var collection = CollectionOf(operation, parameter);
        var name = parameter.Name;
        var unknown = Unknown(collection);
        // Another platform's object is invisible to a platform (and to the operator acting as one): a 404. Platforms
        // and their keys are the operator's to manage, whichever platform it acts as.
        var foreignMustRefuse =
            credentials is Credentials.PlatformKey or Credentials.PlatformKeyClaimingAnotherPlatform
            || (credentials is Credentials.OperatorActingAsPlatform && collection is not ("platforms" or "api_keys"));
        string[] odd = controlCharactersAreRefused ? [.. OddIds, .. ControlText] : OddIds;
        return Weighted(
            (1, Gen.Const(new PathPart(name, unknown, new Attack($"unknown {collection} id", true)))),
            (
                2,
                Gen.Int[0, 9]
                    .Select(i =>
                        world.Pick(collection, true, i) is { } foreign
                            ? new PathPart(
                                name,
                                foreign,
                                new($"{collection} id of another platform", foreignMustRefuse)
                            )
                            : new PathPart(name, unknown, new($"unknown {collection} id", true))
                    )
            ),
            (
                2,
                OneOfGens(
                        Pick(odd),
                        Gen.Int[300, 5_000].Select(n => new string('9', n)),
                        Gen.Const(unknown + new string('x', 200))
                    )
                    .Select(value => new PathPart(name, value, new Attack($"{name} = {Describe(value)}", true)))
            )
        );
    }

    private string Unknown(string collection)
    {
        var sample = world.Pick(collection, false, 0) ?? world.Pick(collection, true, 0);
        var prefix = sample is null ? collection[..3] : sample[..sample.IndexOf('_')];
        return $"{prefix}_{UnknownSuffix}";
    }

    // ---- Query parameters -------------------------------------------------------------------------------------

    private Gen<List<QueryPart>> Query(OperationShape operation, Focus focus)
    {
        var parameters = operation.QueryParameters;
        var none = Gen.Const(new QueryPart("", null));
        var junk = Pick("foo=bar", "limit=1&limit=500", "__proto__=x", "a[b]=c", "=x", "x", "%zz=1")
            .Select(pair => new QueryPart(pair, new Attack($"extra query '{pair}'", false)));
        Gen<QueryPart> Ordinary(FieldShape p) => Weighted((6, none), (2, CleanQuery(operation, p)));
        return focus switch
        {
            Focus.Everything => Sequence([
                .. parameters.Select(p => Weighted((6, none), (2, CleanQuery(operation, p)), (2, HostileQuery(p)))),
                Weighted((6, none), (1, junk)),
            ]),
            Focus.Query => Gen.Int[0, parameters.Count]
                .SelectMany(target =>
                    Sequence([
                        .. parameters.Select(
                            (p, i) => i == target ? Tolerable(HostileQuery(p), q => q.Attack) : Ordinary(p)
                        ),
                        target == parameters.Count ? junk : none,
                    ])
                ),
            _ => Sequence(parameters.Select(Ordinary)),
        };
    }

    private static string Pair(string name, string value) => $"{name}={Uri.EscapeDataString(value)}";

    private Gen<QueryPart> CleanQuery(OperationShape operation, FieldShape parameter)
    {
        var values = parameter.Name switch
        {
            "limit" => Pick("1", "20", "100"),
            "starting_after" => Gen.Const(
                world.Pick(operation.Template.Split('/')[^1].Trim('{', '}'), false, 0) ?? "zzz"
            ),
            "created_gte" => Gen.Const(world.Now.AddDays(-1).ToString("O")),
            "created_lt" => Gen.Const(world.Now.AddDays(1).ToString("O")),
            "amount" => Pick(
                "1",
                "1000",
                "1000000",
                Domain.Money.MaxAmountMinor.ToString(CultureInfo.InvariantCulture)
            ),
            "currency" => Pick("EUR", "USD", "GBP"),
            "type" => Pick("order.status_changed", "payin.confirmed"),
            _ when parameter.Name.EndsWith("_id", StringComparison.Ordinal) => IdValue(parameter.Name, false),
            _ => parameter.Shape.Kind switch
            {
                ValueKind.Enum => Pick([.. parameter.Shape.EnumValues]),
                ValueKind.Integer or ValueKind.Int32 => Pick("1", "10"),
                _ => Pick("x"),
            },
        };
        return values.Select(v => new QueryPart(Pair(parameter.Name, v), null));
    }

    private Gen<QueryPart> HostileQuery(FieldShape parameter)
    {
        var values = new List<(string Value, bool MustRefuse)>();
        void Refused(params string[] texts) => values.AddRange(texts.Select(v => (v, true)));
        void Tolerated(params string[] texts) => values.AddRange(texts.Select(v => (v, false)));
        switch (parameter.Name, parameter.Shape.Kind)
        {
            case ("limit", _):
                Refused("-1", "0", "101", "1e9", "1000000000", "99999999999", "abc", "1.5");
                // Model binding reads integers with a TypeConverter, which takes hexadecimal: 0x10 is 16.
                Tolerated("", "+5", " 5", "0x10");
                break;
            case ("starting_after", _):
                Refused(new string('z', 65), new string('z', 5_000));
                Tolerated("zzz", "ord_", "' OR 1=1 --", "%", "\\", "😀");
                break;
            case ("amount", _):
                Refused("-1", "0", long.MaxValue.ToString(CultureInfo.InvariantCulture), "9223372036854775808");
                Refused("9007199254740993", "1e30", "abc", "1.5");
                break;
            case ("currency", _):
                Refused("XXX", "EURO", new string('E', 300));
                Tolerated("", "eur");
                break;
            case (_, ValueKind.Enum):
                Refused("NOT_A_STATUS");
                Tolerated("", "published", "1", "-1", "99", string.Join(",", parameter.Shape.EnumValues.Take(2)));
                break;
            case (_, ValueKind.DateTime):
                Refused("yesterday", "2026-02-30T00:00:00Z", "1e30", "infinity");
                Tolerated("", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2026-01-01T00:00:00+14:00");
                break;
            case (_, ValueKind.Integer or ValueKind.Int32):
                Tolerated("-1", "0", "9223372036854775808", "abc");
                break;
            default:
                Tolerated("", "zzz", "' OR 1=1 --", new string('z', 5_000), "😀", "\u202E", "%00");
                break;
        }

        Tolerated(OddText);
        if (controlCharactersAreRefused)
        {
            Refused(ControlText);
        }

        return Pick([.. values])
            .Select(v => new QueryPart(
                Pair(parameter.Name, v.Value),
                new Attack($"{parameter.Name}={Describe(v.Value)}", v.MustRefuse)
            ));
    }

    // ---- Bodies -----------------------------------------------------------------------------------------------

    private Gen<BodyPart> Body(OperationShape operation, Focus focus)
    {
        if (operation.Body is null)
        {
            // A body on an operation that reads none is ignored; sending one must not matter.
            var noBody = Gen.Const(new BodyPart(null, null, []));
            return operation.IsRead || focus != Focus.Everything
                ? noBody
                : Weighted(
                    (4, noBody),
                    (1, Gen.Const(new BodyPart("application/json", "{\"amount\": -1}"u8.ToArray(), [Unread])))
                );
        }

        var overdrawing = Overdrawing.Contains(operation.Name);
        var fields = operation.Body.Fields;
        var values = focus switch
        {
            Focus.Everything => Sequence(fields.Select(f => AnyField(f, overdrawing))),
            Focus.Field => Gen.Int[0, fields.Count - 1]
                .SelectMany(target =>
                    Sequence(fields.Select((f, i) => i == target ? HostileField(f, overdrawing) : CleanField(f)))
                ),
            _ => Sequence(fields.Select(CleanField)),
        };
        var none = Gen.Const((FieldPart?)null);
        var extra = focus switch
        {
            Focus.Everything => Weighted((8, none), (3, ExtraField(operation.Body))),
            Focus.ExtraField => Tolerable(ExtraField(operation.Body), e => e?.Attack),
            _ => none,
        };
        var asIs = Gen.Const(new RootPart(json => json, null, true));
        var root = focus switch
        {
            Focus.Everything => Weighted((40, asIs), (11, HostileRoot())),
            Focus.Root => Tolerable(HostileRoot(), r => r.Attack),
            _ => asIs,
        };
        var json = Gen.Const(new ContentTypePart("application/json", null));
        var contentType = focus switch
        {
            Focus.Everything => Weighted((31, json), (4, HostileContentType())),
            Focus.ContentType => Tolerable(HostileContentType(), c => c.Attack),
            _ => json,
        };
        return from v in values from e in extra from r in root from c in contentType select Assemble(v, e, r, c);
    }

    private static readonly Attack Unread = new("an unread body", false);

    private static BodyPart Assemble(List<FieldPart> fields, FieldPart? extra, RootPart root, ContentTypePart type)
    {
        var attacks = new List<Attack>();
        var json = new JsonObject();
        foreach (var field in fields.Append(extra).OfType<FieldPart>().Where(f => f.Present))
        {
            json[field.Name] = Fresh(field.Value);
            attacks.AddRange(field.Attack is null ? [] : [field.Attack]);
        }

        var text = root.Change(json.ToJsonString(WriteOptions));
        if (!root.KeepsFields)
        {
            // The fields were never sent, so their attacks oblige nothing.
            attacks.Clear();
        }

        attacks.AddRange(root.Attack is null ? [] : [root.Attack]);
        if (text is null)
        {
            return new BodyPart(null, null, attacks);
        }

        var bytes = Encoding.UTF8.GetBytes(text.Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal));
        bytes = ReplaceBytes(bytes, Encoding.UTF8.GetBytes(InvalidUtf8), [0xFF, 0xFE, 0xC3, 0x28]);
        if (type.Attack is not null)
        {
            // A content type says nothing wrong about a body that is empty.
            attacks.Add(type.Attack with { MustRefuse = type.Attack.MustRefuse && bytes.Length > 0 });
        }

        return new BodyPart(type.Value, bytes, attacks);
    }

    private static Gen<ContentTypePart> HostileContentType() =>
        Weighted(
            (
                1,
                Pick(
                        "application/json; charset=utf-8",
                        "application/merge-patch+json",
                        "text/json",
                        "application/json; charset=utf-16"
                    )
                    .Select(ct => new ContentTypePart(ct, new Attack($"content type {ct}", false)))
            ),
            (
                3,
                Pick(
                        "text/plain",
                        "application/xml",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "application/octet-stream",
                        "application/jsonx",
                        null
                    )
                    .Select(ct => new ContentTypePart(ct, new Attack($"content type {ct ?? "missing"}", true)))
            )
        );

    /// <summary>What happens to the serialised object: wrapped, nested, broken or left out.</summary>
    private static Gen<RootPart> HostileRoot()
    {
        static RootPart Refused(string label, Func<string, string> change) => new(change, new(label, true), true);
        static RootPart Tolerated(string label, Func<string, string?> change) => new(change, new(label, false), true);
        static RootPart Dropped(string label, string? text) => new(_ => text, new(label, false), false);
        return Weighted(
            (
                2,
                Pick(
                    Refused("an array for the object", json => $"[{json}]"),
                    Refused("an empty array for the object", _ => "[]"),
                    Refused("a string for the object", json => JsonSerializer.Serialize(json)),
                    Refused("a number for the object", _ => "1050"),
                    Refused("true for the object", _ => "true")
                )
            ),
            (
                2,
                Pick(
                    Refused("JSON nested 10,000 deep", _ => new string('[', 10_000) + new string(']', 10_000)),
                    Refused(
                        "an object nested 100 deep",
                        json => string.Concat(Enumerable.Repeat("{\"a\":", 100)) + json + new string('}', 100)
                    ),
                    Refused(
                        "a field nested 50 deep",
                        _ => "{\"metadata\":" + new string('[', 50) + new string(']', 50) + "}"
                    )
                )
            ),
            (
                3,
                Pick(
                    Refused("truncated JSON", json => json[..(json.Length / 2)]),
                    Refused("a trailing comma", json => json.Length > 2 ? json[..^1] + ",}" : "{,}"),
                    Refused("single quotes", json => json.Replace('"', '\'')),
                    Refused("'=' for ':'", json => json.Contains(':') ? json.Replace(':', '=') : "{\"a\"=1}"),
                    Refused("a comment", json => "// hi\n" + json),
                    Refused("garbage after the object", json => json + " trailing"),
                    Refused("NaN", _ => "{\"amount\": NaN}"),
                    Refused("a leading zero", _ => "{\"amount\": 0100}"),
                    Refused("an unquoted name", _ => "{amount: 1}"),
                    Refused("two objects", json => json + json),
                    Refused("an unterminated string", _ => "{\"name\": \"abc")
                )
            ),
            (
                2,
                Pick(
                    Dropped("an empty body", ""),
                    Dropped("a JSON null", "null"),
                    Dropped("whitespace only", " \n\t "),
                    Dropped("no body at all", null),
                    Tolerated("a byte order mark", json => "\uFEFF" + json),
                    Tolerated("a duplicate field", json => json.Length > 2 ? "{\"amount\":-1," + json[1..] : json)
                )
            )
        );
    }

    private static Gen<FieldPart?> ExtraField(ValueShape body)
    {
        var first = (body.Fields.FirstOrDefault()?.Name ?? "name").ToUpperInvariant();
        return Weighted(
            (
                2,
                Pick("zzz_unknown", "__proto__", "$type", "$id", "$ref", "constructor", "amount_minor", "ämount")
                    .Select(name => (FieldPart?)new FieldPart(name, 1, new($"unknown field '{name}'", true), true))
            ),
            // Names are case-insensitive, so this is a second spelling of a known field, not an unknown one.
            (1, Gen.Const((FieldPart?)new FieldPart(first, -1, new($"field {first}", false), true)))
        );
    }

    // ---- Field values -----------------------------------------------------------------------------------------

    private Gen<FieldPart> AnyField(FieldShape field, bool overdrawing) =>
        Weighted(
            (2, Gen.Const(new FieldPart(field.Name, null, new($"no {field.Name}", false), false))),
            (9, Clean(field).Select(v => new FieldPart(field.Name, v, null, true))),
            (1, Gen.Const(new FieldPart(field.Name, null, new($"{field.Name}: null", false), true))),
            (3, HostileField(field, overdrawing))
        );

    private Gen<FieldPart> CleanField(FieldShape field) =>
        Weighted(
            (1, Gen.Const(new FieldPart(field.Name, null, new($"no {field.Name}", false), false))),
            (12, Clean(field).Select(v => new FieldPart(field.Name, v, null, true)))
        );

    private Gen<FieldPart> HostileField(FieldShape field, bool overdrawing) =>
        Weighted(
            (1, Gen.Const(new FieldPart(field.Name, null, new($"{field.Name}: null", false), true))),
            (12, Hostile(field, overdrawing).Select(h => new FieldPart(field.Name, h.Value, h.Attack, true)))
        );

    /// <summary>A plausible value, from the world where the field names an object.</summary>
    private Gen<JsonNode?> Clean(FieldShape field)
    {
        var name = field.Name;
        static Gen<JsonNode?> Text(params string[] values) => Pick(values).Select(v => (JsonNode?)v);
        static Gen<JsonNode?> Number(params long[] values) => Pick(values).Select(v => (JsonNode?)v);
        if (name.EndsWith("_id", StringComparison.Ordinal) && field.Shape.Kind == ValueKind.String)
        {
            return IdValue(name, false).Select(v => (JsonNode?)v);
        }

        switch (name)
        {
            case "currency":
                return Text("EUR");
            case "email":
                return Text("hostile@example.com");
            case "iban" or "sender_iban":
                return Text(TestIbans.Germany, TestIbans.Spain);
            case "bic":
                return Text("CAIXESBBXXX");
            case "url" or "buyer_confirmed_url" or "buyer_denied_url" or "seller_confirmed_url" or "seller_denied_url":
                return Text("https://platform.example.com/return");
            case "number":
                return Text("4242424242424242", "4000000000000002");
            case "cvc":
                return Text("123");
            case "exp_month":
                return Number(12);
            case "exp_year":
                return Number(_cardYear);
            case "reference":
                return Text("TRU-HOSTILE");
            case "event_types":
                return Gen.Const<JsonNode?>(new JsonArray("*"));
            case "amount" or "target_amount" or "hard_cap" or "max_contribution":
                return Number(100, 1_000, 100_000);
            case "min_contribution":
                return Number(100);
            case "fee_percent_bp" or "percent_bp":
                return Number(0, 100, 250);
            case "annual_interest_bp":
                return Number(500);
            case "term_months":
                return Number(12);
            case "fee_amount" or "fee_fixed":
                return Number(0, 50);
            case "deadline":
                return Text(world.Now.AddDays(30).ToString("O"));
            case "metadata":
                return Gen.Const<JsonNode?>(new JsonObject { ["k"] = "v" });
        }

        var shape = field.Shape;
        return shape.Kind switch
        {
            ValueKind.String => Text("Hostile input"),
            ValueKind.Integer or ValueKind.Int32 or ValueKind.Number => Number(1),
            ValueKind.Boolean => Gen.Bool.Select(b => (JsonNode?)b),
            ValueKind.Enum => Text([.. shape.EnumValues]),
            ValueKind.DateTime => Text(world.Now.AddDays(1).ToString("O")),
            ValueKind.Array => Clean(new FieldShape(Singular(name), shape.Items!))
                .Select(i => (JsonNode?)new JsonArray(Fresh(i))),
            ValueKind.Object => Sequence(shape.Fields.Select(f => Clean(f).Select(v => Member(f.Name, v))))
                .Select(members => (JsonNode?)new JsonObject(members.Select(m => Member(m.Key, Fresh(m.Value))))),
            ValueKind.Map => Gen.Const<JsonNode?>(new JsonObject { ["k"] = "v" }),
            _ => Gen.Const((JsonNode?)null),
        };
    }

    /// <summary>An id for a field or query parameter named <paramref name="name"/>.</summary>
    private Gen<string> IdValue(string name, bool foreign)
    {
        var collection = name switch
        {
            "buyer_id" or "seller_id" or "customer_id" or "owner_id" or "contributor_id" => "customers",
            "wallet_id" or "from_wallet_id" or "to_wallet_id" => "wallets",
            "order_id" or "object_id" => "orders",
            "order_group_id" => "order_groups",
            "bankaccount_id" or "payout_bankaccount_id" => "bank_accounts",
            "endpoint_id" => "webhook_endpoints",
            _ => "customers",
        };
        return Gen.Int[0, 9].Select(i => world.Pick(collection, foreign, i) ?? Unknown(collection));
    }

    /// <summary>A value that is wrong or odd for the field, and whether it alone obliges the API to refuse.</summary>
    private Gen<(JsonNode? Value, Attack Attack)> Hostile(FieldShape field, bool overdrawing)
    {
        var name = field.Name;
        var shape = field.Shape;
        // Values the JSON reader refuses (400) are one pool, values it reads (for the validators, the services and
        // the database to deal with) another, drawn twice as often: the reader is the easy part.
        var unreadable = new List<Gen<(JsonNode?, Attack)>>();
        var options = new List<Gen<(JsonNode?, Attack)>>();
        void Add(JsonNode? value, string label, bool mustRefuse)
        {
            if (!(tolerableOnly && mustRefuse))
            {
                options.Add(Gen.Const((value, new Attack($"{name}: {label}", mustRefuse))));
            }
        }

        void Unreadable(JsonNode? value, string label)
        {
            if (!tolerableOnly)
            {
                unreadable.Add(Gen.Const((value, new Attack($"{name}: {label}", true))));
            }
        }
        void WrongTypes(params JsonNode?[] values)
        {
            foreach (var value in values)
            {
                Unreadable(value, $"wrong type {value?.ToJsonString(WriteOptions) ?? "null"}");
            }
        }

        switch (shape.Kind)
        {
            case ValueKind.String:
                WrongTypes(12, true, new JsonObject(), new JsonArray(), JsonNode.Parse("1.5"));
                Add(new string('a', 10_001), "10,001 characters", true);
                Add(string.Concat(Enumerable.Repeat("😀", 5_000)), "5,000 emoji", true);
                Unreadable(LoneSurrogate, "a lone surrogate");
                Unreadable(InvalidUtf8, "invalid UTF-8");
                foreach (var text in OddText)
                {
                    Add(text, Describe(text), false);
                }

                foreach (var text in controlCharactersAreRefused ? ControlText : [])
                {
                    Add(text, Describe(text), true);
                }

                if (name.EndsWith("_id", StringComparison.Ordinal))
                {
                    options.Add(
                        IdValue(name, true).Select(id => ((JsonNode?)id, new Attack($"{name}: foreign", false)))
                    );
                    Add("cus_" + UnknownSuffix, "an unknown id", false);
                    Add("wal_" + UnknownSuffix, "an unknown id of another kind", false);
                }

                break;
            case ValueKind.Integer or ValueKind.Int32 or ValueKind.Number:
                WrongTypes(
                    "12",
                    true,
                    new JsonObject(),
                    new JsonArray(),
                    "",
                    JsonNode.Parse("1.5"),
                    JsonNode.Parse("1E2")
                );
                Unreadable(JsonNode.Parse("1e30"), "1e30");
                Add(-1, "-1", true);
                Add(long.MinValue, "long.MinValue", true);
                Add(long.MaxValue, "long.MaxValue", true);
                Add(JsonNode.Parse("9007199254740993"), "2^53 + 1", true);
                Unreadable(JsonNode.Parse("9223372036854775808"), "long.MaxValue + 1");
                Add(2_147_483_648L, "int.MaxValue + 1", shape.Kind == ValueKind.Int32);
                Add(0, "0", name is "amount" or "target_amount");
                // Every number has a documented maximum, none above the largest amount; the largest amount itself is
                // legitimate, except where it must exceed what is there to draw on.
                Add(Domain.Money.MaxAmountMinor, "the largest amount", overdrawing && name == "amount");
                Add(Domain.Money.MaxAmountMinor + 1, "the largest amount + 1", true);

                break;
            case ValueKind.Boolean:
                WrongTypes("true", 1, "yes", new JsonObject());
                break;
            case ValueKind.Enum:
                WrongTypes("NOT_A_VALUE", 1, "", new JsonArray());
                Add(shape.EnumValues[0].ToLowerInvariant(), "lower case", false);
                Add(string.Join(", ", shape.EnumValues.Take(2)), "two values", false);
                Add(" " + shape.EnumValues[0], "a leading space", false);
                break;
            case ValueKind.DateTime:
                WrongTypes("yesterday", 12, "2026-02-30T00:00:00Z", "");
                foreach (var extreme in (string[])["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z"])
                {
                    Add(extreme, extreme, false);
                }

                Add("2026-01-01T00:00:00-12:00", "a negative offset", false);
                Add(
                    world.Now.AddDays(30).ToOffset(TimeSpan.FromHours(14)).ToString("O"),
                    "in 30 days at +14:00",
                    false
                );
                Add("2026-01-01", "a date only", false);
                break;
            case ValueKind.Array:
                WrongTypes(new JsonObject(), "x", 1, new JsonArray((JsonNode?)null));
                if (shape.Items!.Kind is ValueKind.Object)
                {
                    WrongTypes(new JsonArray(1));
                    var item = new FieldShape(Singular(name), shape.Items);
                    options.Add(
                        from value in Hostile(item, overdrawing)
                        let attack = value.Attack with
                        {
                            Description = $"{name}[0].{value.Attack.Description}",
                        }
                        select ((JsonNode?)new JsonArray(Fresh(value.Value)), attack)
                    );
                    options.AddRange(
                        tolerableOnly
                            ? []
                            :
                            [
                                from items in Clean(item).Array[1_001]
                                select (
                                    (JsonNode?)new JsonArray([.. items.Select(Fresh)]),
                                    new Attack($"{name}: 1,001", true)
                                ),
                            ]
                    );
                }

                Add(new JsonArray(), "empty", false);
                break;
            case ValueKind.Object:
                WrongTypes(new JsonArray(), "x", 1);
                options.AddRange(
                    shape.Fields.Select(f =>
                        from value in Hostile(f, overdrawing)
                        let attack = value.Attack with
                        {
                            Description = $"{name}.{value.Attack.Description}",
                        }
                        select ((JsonNode?)new JsonObject { [f.Name] = Fresh(value.Value) }, attack)
                    )
                );
                break;
            case ValueKind.Map:
                WrongTypes(
                    new JsonArray(),
                    "x",
                    1,
                    new JsonObject { ["k"] = 1 },
                    new JsonObject { ["k"] = new JsonObject() }
                );
                Add(new JsonObject { ["k"] = null }, "a null value", true);
                Add(new JsonObject(Enumerable.Range(0, 51).Select(i => Member($"k{i}", "v"))), "51 keys", true);
                Add(new JsonObject { [new string('k', 41)] = "v" }, "a 41-character key", true);
                Add(new JsonObject { ["k"] = new string('v', 501) }, "a 501-character value", true);
                Add(new JsonObject { [""] = "v" }, "an empty key", true);
                Add(new JsonObject { ["😀\u202E"] = "İ" }, "odd Unicode", false);
                if (controlCharactersAreRefused)
                {
                    Add(new JsonObject { ["k"] = "\0" }, "a NUL value", true);
                    Add(new JsonObject { ["\0"] = "v" }, "a NUL key", true);
                }

                break;
        }

        return (unreadable.Count, options.Count) switch
        {
            (0, 0) => Gen.Const(((JsonNode?)null, new Attack($"{name}: null", false))),
            (0, _) => OneOfGens([.. options]),
            (_, 0) => OneOfGens([.. unreadable]),
            _ => Weighted((1, OneOfGens([.. unreadable])), (2, OneOfGens([.. options]))),
        };
    }

    // ---- Headers ----------------------------------------------------------------------------------------------

    private Gen<List<HeaderPart>> ExtraHeaders(OperationShape operation, Focus focus)
    {
        var none = Gen.Const((HeaderPart?)null);
        var accept = Pick("application/xml", "text/html", "*/*;q=0", "image/png")
            .Select(a => (HeaderPart?)new HeaderPart(Header("Accept", a), new Attack($"Accept: {a}", false)));
        var idempotency = Gen.Const<HeaderPart?>(
            new HeaderPart(
                Header("Idempotency-Key", new string('i', 256)),
                new("a 256-character Idempotency-Key", true)
            )
        );
        var isPost = operation.Method == "POST";
        var headers = focus switch
        {
            Focus.Everything => Gen.Select(
                Weighted((8, none), (1, accept)),
                isPost ? Weighted((30, none), (1, idempotency)) : none,
                (a, i) => new[] { a, i }
            ),
            Focus.Headers => (isPost && !tolerableOnly ? Weighted((1, accept), (1, idempotency)) : accept).Select(h =>
                new[] { h }
            ),
            _ => Gen.Const(Array.Empty<HeaderPart?>()),
        };
        return headers.Select(parts => parts.OfType<HeaderPart>().ToList());
    }

    // ---- Helpers ----------------------------------------------------------------------------------------------

    // CsCheck overloads OneOf and Frequency for constants and for generators; these names say which is meant.
    private static Gen<T> Pick<T>(params T[] values) => Gen.OneOf<T>(values);

    private static Gen<T> OneOfGens<T>(params Gen<T>[] gens) => Gen.OneOf<T>([.. gens]);

    private static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] gens) =>
        Gen.Frequency<T>([.. gens.Where(g => g.Weight > 0).Select(g => (g.Weight, (IGen<T>)g.Gen))]);

    /// <summary>In tolerable-only mode, the parts of <paramref name="gen"/> whose attack obliges no refusal.</summary>
    private Gen<T> Tolerable<T>(Gen<T> gen, Func<T, Attack?> attack) =>
        tolerableOnly ? gen.Where(part => attack(part) is not { MustRefuse: true }) : gen;

    /// <summary>All of <paramref name="gens"/>, in order.</summary>
    private static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(
            Gen.Const(new List<T>()),
            (all, gen) => Gen.Select(all, gen, (list, item) => new List<T>(list) { item })
        );

    /// <summary>A copy of a generated node: a node has one parent, and a constant generator hands out one instance.
    /// </summary>
    private static JsonNode? Fresh(JsonNode? node) => node?.DeepClone();

    private static KeyValuePair<string, JsonNode?> Member(string name, JsonNode? value) => new(name, value);

    private static string Singular(string name) => name.EndsWith('s') ? name[..^1] : name;

    /// <summary>A short, printable label for a hostile string.</summary>
    public static string Describe(string value)
    {
        var escaped = JsonSerializer.Serialize(value, WriteOptions);
        return escaped.Length <= 40 ? escaped : $"{escaped[..30]}…\" ({value.Length} chars)";
    }

    private static byte[] ReplaceBytes(byte[] source, byte[] find, byte[] replacement)
    {
        var output = new List<byte>(source.Length);
        for (var i = 0; i < source.Length; )
        {
            if (source.AsSpan(i).StartsWith(find))
            {
                output.AddRange(replacement);
                i += find.Length;
            }
            else
            {
                output.Add(source[i++]);
            }
        }

        return [.. output];
    }
}
