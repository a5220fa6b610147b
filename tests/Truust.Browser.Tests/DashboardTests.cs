using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Npgsql;
using Truust.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Truust.Browser.Tests;

/// <summary>The dashboard: signing in, the colour-coded order list, filters, paging, export, isolation.</summary>
public sealed class DashboardTests(BrowserHost host, ITestOutputHelper output) : DashboardTest(host, output)
{
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task A_bad_key_is_refused_a_platform_key_signs_in_and_signing_out_ends_the_session()
    {
        using var shop = await Host.NewPlatformAsync(name: "Sign-in Market");
        var market = await Marketplace.OpenAsync(shop);
        var orderId = await market.DraftAsync("Helmet", 4_500);

        await InBrowserAsync(async page =>
        {
            // A dashboard page without a session goes to the sign-in form, which remembers where to come back to.
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{orderId}");
            await page.WaitForURLAsync(new Regex("/dashboard/signin\\?return_url="));

            await page.GetByLabel("Secret key").FillAsync("sk_test_not_a_key_of_any_platform_0000000");
            var refused = await SubmitAsync(page, "Sign in");
            Assert.Equal(401, refused.Status);
            await Expect(page.GetByTestId("signin-error")).ToContainTextAsync("not valid");
            // The key typed is never sent back into the page.
            await Expect(page.GetByLabel("Secret key")).ToHaveValueAsync(string.Empty);
            Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "truust_dashboard");
            var blocked = await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders");
            Assert.Contains("/dashboard/signin", blocked!.Url);

            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{orderId}");
            await page.GetByLabel("Secret key").FillAsync(shop.Secret);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync($"{Host.BaseUrl}/dashboard/orders/{orderId}");
            await Expect(Heading(page, "Helmet")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("Sign-in Market");

            var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "truust_dashboard");
            Assert.True(session.HttpOnly);
            Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
            Assert.Equal("/dashboard", session.Path);
            Assert.DoesNotContain(shop.Secret, session.Value);
            Assert.DoesNotContain(shop.Secret[8..], session.Value);

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync($"{Host.BaseUrl}/dashboard/signin?signed_out=true");
            await Expect(page.GetByTestId("signed-out")).ToBeVisibleAsync();
            Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "truust_dashboard");
            var after = await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{orderId}");
            Assert.Contains("/dashboard/signin", after!.Url);
        });

        // Signing in and out changed nothing in the platform's data.
        Assert.Equal("PENDING_PUBLISH", await market.StatusAsync(orderId));
    }

    [Fact]
    public async Task Revoking_the_key_ends_its_dashboard_session_at_the_next_click()
    {
        using var shop = await Host.NewPlatformAsync(name: "Revoked Market");
        using var operatorApi = Host.OperatorApi();

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await operatorApi.DeleteAsync($"/v1/platforms/{shop.PlatformId}/api_keys/{shop.KeyId}");
            var next = await page.GotoAsync($"{Host.BaseUrl}/dashboard/wallets");
            Assert.Contains("/dashboard/signin", next!.Url);
            Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "truust_dashboard");
        });

        // The API refuses the key too: the dashboard checks keys exactly as the API does.
        using var revoked = PlatformApi.Client(Host.BaseUrl, shop.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/v1/orders")).StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_secure_unless_the_request_is_plain_http_to_a_loopback_name()
    {
        using var shop = await Host.NewPlatformAsync(name: "Cookie Market");

        var (localClient, local) = await SignInOverHttpAsync(shop.Secret, hostHeader: null);
        var (proxiedClient, proxied) = await SignInOverHttpAsync(shop.Secret, hostHeader: "dashboard.truust.example");
        localClient.Dispose();
        proxiedClient.Dispose();

        foreach (var cookie in new[] { local, proxied })
        {
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(shop.Secret, cookie);
        }

        // 127.0.0.1 by its own name over http: a developer's machine, where a Secure cookie would never come back.
        Assert.DoesNotContain("secure", local.Split(';').Select(p => p.Trim().ToLowerInvariant()));
        // Any public host name (a TLS-terminating proxy in front): Secure.
        Assert.Contains("secure", proxied.Split(';').Select(p => p.Trim().ToLowerInvariant()));
    }

    [Fact]
    public async Task An_action_posted_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var shop = await Host.NewPlatformAsync(name: "Forgery Market");
        var market = await Marketplace.OpenAsync(shop);
        var id = await market.AwaitingValidationAsync("Drum kit", 45_000);
        var (client, _) = await SignInOverHttpAsync(shop.Secret, hostHeader: null);
        using (client)
        {
            // The session cookie alone is not enough: a form from anywhere else has no token.
            using var forged = await client.PostAsync(
                $"/dashboard/orders/{id}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "validate" })
            );
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            // With the session, the order page itself is there to be read.
            using var page = await client.GetAsync($"/dashboard/orders/{id}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal("PENDING_VALIDATE", await market.StatusAsync(id));
        Assert.DoesNotContain(await shop.HistoryAsync(id), c => c.Str("action") == "validate");
    }

    [Fact]
    public async Task Every_status_has_its_own_readable_colour_in_the_list_and_the_legend()
    {
        using var shop = await Host.NewPlatformAsync(name: "Colour Market");
        var market = await Marketplace.OpenAsync(shop);
        var orders = new Dictionary<string, string>
        {
            ["DRAFT"] = await market.BuyerlessDraftAsync("Draft lamp", 1_000),
            ["PUBLISHED"] = await market.PublishedAsync("Paid lamp", 1_100),
            ["ACCEPTED"] = await market.AcceptedAsync("Accepted lamp", 1_200),
            ["PENDING_VALIDATE"] = await market.AwaitingValidationAsync("Payout lamp", 1_300),
        };
        orders["PENDING_PUBLISH"] = await market.DraftAsync("Paying lamp", 1_400);
        await shop.PostAsync(
            "/v1/payins",
            new { order_id = orders["PENDING_PUBLISH"], type = "ADDON" },
            HttpStatusCode.Created
        );
        orders["FAILURE"] = await market.DraftAsync("Declined lamp", 1_500);
        var declined = await shop.PostAsync(
            "/v1/payins",
            new { order_id = orders["FAILURE"], type = "ADDON" },
            HttpStatusCode.Created
        );
        await shop.PostAsync(
            $"/v1/sandbox/payins/{declined.Str("id")}/card",
            new
            {
                number = "4000000000000002",
                exp_month = 12,
                exp_year = DateTime.UtcNow.Year + 2,
                cvc = "123",
            },
            HttpStatusCode.OK
        );
        orders["CANCELLED"] = await market.DraftAsync("Cancelled lamp", 1_600);
        await shop.PostAsync($"/v1/orders/{orders["CANCELLED"]}/cancel", null, HttpStatusCode.OK);
        orders["REJECTED"] = await market.PublishedAsync("Rejected lamp", 1_700);
        await shop.PostAsync($"/v1/orders/{orders["REJECTED"]}/reject", null, HttpStatusCode.OK);
        orders["RELEASED"] = await market.AwaitingValidationAsync("Released lamp", 1_800);
        await shop.PostAsync($"/v1/orders/{orders["RELEASED"]}/validate", null, HttpStatusCode.OK);
        orders["BLOCKED_RELEASE"] = await market.AwaitingValidationAsync(
            "Refused lamp",
            1_900,
            Marketplace.RefusedIban
        );
        await shop.PostAsync($"/v1/orders/{orders["BLOCKED_RELEASE"]}/validate", null, HttpStatusCode.OK);
        // The release worker pays one out and the bank refuses the other, on their own.
        await EventuallyAsync(async () =>
            await market.StatusAsync(orders["RELEASED"]) == "RELEASED"
            && await market.StatusAsync(orders["BLOCKED_RELEASE"]) == "BLOCKED_RELEASE"
        );
        foreach (var (status, id) in orders)
        {
            Assert.Equal(status, await market.StatusAsync(id));
        }

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            var legend = await ColoursAsync(page.GetByTestId("totals").Locator(".status"));
            Assert.Equal(11, legend.Count);
            Assert.Equal(11, legend.Select(c => c.Background).Distinct().Count());
            foreach (var (status, background, text) in legend)
            {
                Assert.True(
                    Contrast(background, text) >= 4.5,
                    $"{status}: {text} on {background} has a contrast of {Contrast(background, text):F2}, below 4.5."
                );
            }

            var rows = page.GetByTestId("orders").Locator("tbody tr");
            await Expect(rows).ToHaveCountAsync(orders.Count);
            var listed = await ColoursAsync(page.GetByTestId("orders").Locator(".status"));
            Assert.Equal(orders.Keys.Order(), listed.Select(c => c.Status).Order());
            Assert.Equal(orders.Count, listed.Select(c => c.Background).Distinct().Count());
            foreach (var (status, background, _) in listed)
            {
                // The list uses exactly the legend's colour for the status.
                Assert.Equal(legend.Single(l => l.Status == status).Background, background);
            }

            foreach (var (status, id) in orders)
            {
                var badge = page.Locator($"tr[data-order-id='{id}'] .status");
                await Expect(badge).ToHaveAttributeAsync("data-status", status);
                // Colour is never the only signal: the status is written out too.
                var words = status.Replace('_', ' ').ToLowerInvariant();
                await Expect(badge).ToHaveTextAsync(char.ToUpperInvariant(words[0]) + words[1..]);
            }

            await DocumentAsync(page, "dashboard-list");
        });
    }

    [Fact]
    public async Task Filters_search_and_totals_narrow_the_list_to_what_the_api_also_finds()
    {
        using var shop = await Host.NewPlatformAsync(name: "Filter Market");
        var market = await Marketplace.OpenAsync(shop, buyer: "Bea Filterbuyer");
        var drafts = new[]
        {
            await market.DraftAsync("Kettle", 100),
            await market.DraftAsync("Blue tandem bicycle", 200, new() { ["invoice"] = "INV-7731" }),
            await market.DraftAsync("Toaster", 300),
        };
        var paid = new[] { await market.PublishedAsync("Armchair", 1_000), await market.PublishedAsync("Sofa", 2_000) };

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("5 orders");
            await ExpectTotalAsync(page, "PENDING_PUBLISH", "3", "6.00 EUR");
            await ExpectTotalAsync(page, "PUBLISHED", "2", "30.00 EUR");

            await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("PUBLISHED");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("status=PUBLISHED"));
            await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("2 orders match the filters");
            Assert.Equal(paid.Order(), await ListedIdsAsync(page));
            Assert.All(
                await ColoursAsync(page.GetByTestId("orders").Locator(".status")),
                c => Assert.Equal("PUBLISHED", c.Status)
            );
            await ExpectTotalAsync(page, "PUBLISHED", "2", "30.00 EUR");
            await ExpectTotalAsync(page, "PENDING_PUBLISH", "0", "—");
            // The API's own status filter finds the same orders.
            var api = await shop.GetAsync("/v1/orders?status=PUBLISHED");
            Assert.Equal(paid.Order(), api.GetProperty("data").EnumerateArray().Select(o => o.Str("id")).Order());

            // Search: a metadata value, part of a name in another case, an id.
            foreach (var term in new[] { "INV-7731", "TANDEM", drafts[1] })
            {
                await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?q={Uri.EscapeDataString(term)}");
                Assert.Equal([drafts[1]], await ListedIdsAsync(page));
            }

            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?buyer=filterbuyer&seller={market.SellerId}");
            await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("5 orders match the filters");
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?seller=nobody-by-this-name");
            await Expect(page.GetByTestId("no-orders")).ToBeVisibleAsync();

            var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
            var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?from={tomorrow}");
            await Expect(page.GetByTestId("no-orders")).ToBeVisibleAsync();
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?from={today}&to={today}&status=PENDING_PUBLISH");
            Assert.Equal(drafts.Order(), await ListedIdsAsync(page));

            // A filter that makes no sense is said so, and never answers a 500.
            var bad = await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?from=yesterday&status=LOST");
            Assert.Equal(422, bad!.Status);
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is no status 'LOST'");
        });
    }

    [Fact]
    public async Task Paging_walks_the_whole_list_newest_first_and_back()
    {
        using var shop = await Host.NewPlatformAsync(name: "Paging Market");
        var market = await Marketplace.OpenAsync(shop);
        var ids = new List<string>();
        for (var i = 0; i < 53; i++)
        {
            ids.Add(await market.DraftAsync($"Poster {i}", 100 + i));
        }

        var newestFirst = ids.OrderDescending(StringComparer.Ordinal).ToList();
        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("53 orders");
            var first = await ListedIdsAsync(page, sorted: false);
            Assert.Equal(newestFirst.Take(50), first);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "← Newer" })).ToHaveCountAsync(0);

            await page.GetByRole(AriaRole.Link, new() { Name = "Older →" }).ClickAsync();
            Assert.Equal(newestFirst.Skip(50), await ListedIdsAsync(page, sorted: false));
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Older →" })).ToHaveCountAsync(0);

            await page.GetByRole(AriaRole.Link, new() { Name = "← Newer" }).ClickAsync();
            Assert.Equal(first, await ListedIdsAsync(page, sorted: false));
        });
    }

    [Fact]
    public async Task The_csv_export_holds_exactly_the_filtered_orders_quoted_safely()
    {
        using var shop = await Host.NewPlatformAsync(name: "Export Market");
        var market = await Marketplace.OpenAsync(shop);
        var quoted = await market.DraftAsync("Bike, \"red\" with bell", 12_345, new() { ["sku"] = "A,1" });
        // The API refuses control characters in a name, but a row stored before it did may hold a line break, and
        // the export must still quote it: the line break is put there directly.
        await using (var connection = await Host.Database.OpenAsync())
        {
            await using var update = new NpgsqlCommand("UPDATE orders SET name = @name WHERE id = @id", connection);
            update.Parameters.AddWithValue("name", "Bike, \"red\"\nwith bell");
            update.Parameters.AddWithValue("id", quoted);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var formula = await market.DraftAsync("=HYPERLINK(\"http://evil.example\")", 500);
        var paid = await market.PublishedAsync("Not exported: paid", 999);

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, shop.Secret);
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?status=PENDING_PUBLISH");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export").ClickAsync());
            Assert.Matches(@"^truust-orders-\d{8}-\d{6}\.csv$", download.SuggestedFilename);
            var csv = await File.ReadAllTextAsync((await download.PathAsync())!);

            var lines = csv.Split("\r\n");
            Assert.Equal(
                "id,created_at,status,name,amount,currency,amount_minor,held_minor,buyer_id,buyer_name,"
                    + "seller_id,seller_name,platform_id,metadata",
                lines[0]
            );
            Assert.Equal(string.Empty, lines[^1]);
            Assert.DoesNotContain(paid, csv);
            // Newest first, like the list: the formula order was created last.
            Assert.StartsWith(formula + ",", lines[1]);
            Assert.Contains(",PENDING_PUBLISH,\"'=HYPERLINK(\"\"http://evil.example\"\")\",5.00,EUR,500,0,", lines[1]);
            Assert.Contains($"{market.BuyerId},Bea Buyer,{market.SellerId},Sam Seller,{shop.PlatformId},", lines[1]);
            // A field with a comma, quotes or a line break is quoted with inner quotes doubled (the line break
            // inside the name is a bare LF, so the record is still one CRLF-terminated line).
            Assert.StartsWith(quoted + ",", lines[2]);
            Assert.Contains(",PENDING_PUBLISH,\"Bike, \"\"red\"\"\nwith bell\",123.45,EUR,12345,0,", lines[2]);
            Assert.EndsWith(",\"{\"\"sku\"\":\"\"A,1\"\"}\"", lines[2]);
            Assert.Equal(4, lines.Length);
        });

        // The API agrees on what is PENDING_PUBLISH (created with their buyer: "buyer identified, pending payment").
        var drafts = await shop.GetAsync("/v1/orders?status=PENDING_PUBLISH");
        Assert.Equal(
            new[] { quoted, formula }.Order(),
            drafts.GetProperty("data").EnumerateArray().Select(o => o.Str("id")).Order()
        );
    }

    [Fact]
    public async Task A_platform_cannot_see_or_act_on_another_platforms_order()
    {
        using var owner = await Host.NewPlatformAsync(name: "Owner Market");
        using var other = await Host.NewPlatformAsync(name: "Other Market");
        var ownerMarket = await Marketplace.OpenAsync(owner);
        var otherMarket = await Marketplace.OpenAsync(other);
        var foreign = await ownerMarket.AwaitingValidationAsync("Owner's camera", 30_000);
        var own = await otherMarket.AwaitingValidationAsync("Other's camera", 31_000);

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, other.Secret);
            var hidden = await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{foreign}");
            Assert.Equal(404, hidden!.Status);
            await Expect(page.GetByTestId("problem")).ToHaveTextAsync($"No such order: '{foreign}'.");
            await Expect(page.GetByText("Owner's camera")).ToHaveCountAsync(0);

            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?q={foreign}");
            await Expect(page.GetByTestId("no-orders")).ToBeVisibleAsync();
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/customers/{ownerMarket.SellerId}");
            await Expect(page.GetByTestId("problem")).ToContainTextAsync("No such customer");

            // A genuine form of its own order, with a valid antiforgery token, pointed at the other platform's order.
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{own}?confirm=validate");
            await page.Locator("[data-testid=confirm] form")
                .EvaluateAsync("(form, id) => form.action = '/dashboard/orders/' + id", foreign);
            var refused = await SubmitAsync(page, "Yes, validate");
            Assert.Equal(404, refused.Status);
            await Expect(page.GetByTestId("problem")).ToHaveTextAsync($"No such order: '{foreign}'.");
        });

        Assert.Equal("PENDING_VALIDATE", await ownerMarket.StatusAsync(foreign));
        Assert.Equal("PENDING_VALIDATE", await otherMarket.StatusAsync(own));
        Assert.DoesNotContain(await owner.HistoryAsync(foreign), c => c.Str("action") == "validate");

        // The operator sees every platform's orders.
        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, Host.BaseUrl, TruustKestrelFactory.OperatorKey);
            await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("operator");
            var shown = await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders/{foreign}");
            Assert.Equal(200, shown!.Status);
            await Expect(Heading(page, "Owner's camera")).ToBeVisibleAsync();
            await page.GotoAsync($"{Host.BaseUrl}/dashboard/orders?q={own}");
            Assert.Equal([own], await ListedIdsAsync(page));
        });
    }

    [Fact]
    public async Task Ten_thousand_orders_are_counted_paged_totalled_and_filtered()
    {
        var quiet = await Host.QuietServerUrlAsync();
        SecondServerUrl = quiet;
        using var shop = await Host.NewPlatformAsync(quiet, "Busy Market");
        await SeedOrdersAsync(shop.PlatformId, 10_000);

        await InBrowserAsync(async page =>
        {
            await SignInAsync(page, quiet, shop.Secret);
            await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("10,000 orders");
            await Expect(page.GetByTestId("orders").Locator("tbody tr")).ToHaveCountAsync(50);
            // i % 11 over 1..10,000: PUBLISHED (index 3) is every 11th order from i = 3.
            await ExpectTotalAsync(page, "PUBLISHED", "909", null);

            // How fast these pages render is measured by the benchmark (bench/results.md), not here: this test
            // checks that filtering a large list still gives the right answer.
            var response = await page.GotoAsync(quiet + "/dashboard/orders?status=PUBLISHED");
            Assert.Equal(200, response!.Status);
            await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("909 orders match the filters");
            var statuses = await page.GetByTestId("orders")
                .Locator("tbody tr [data-status]")
                .EvaluateAllAsync<string[]>("badges => badges.map(b => b.dataset.status)");
            Assert.Equal(50, statuses.Length);
            Assert.All(statuses, s => Assert.Equal("PUBLISHED", s));
        });
    }

    private async Task SeedOrdersAsync(string platformId, int count)
    {
        var sql = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "bench", "seed-dashboard-orders.sql"));
        await using var connection = new NpgsqlConnection(Host.QuietConnectionString);
        await connection.OpenAsync();
        await using var settings = new NpgsqlCommand(
            "SELECT set_config('truust.seed_platform', $1, false), set_config('truust.seed_count', $2, false)",
            connection
        )
        {
            Parameters =
            {
                new() { Value = platformId },
                new() { Value = count.ToString() },
            },
        };
        await settings.ExecuteNonQueryAsync();
        var watch = Stopwatch.StartNew();
        await using var seed = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await seed.ExecuteNonQueryAsync();
        _output.WriteLine($"Seeded {count} orders in {watch.ElapsedMilliseconds} ms.");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Truust.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Truust.sln not found above the tests.");
    }

    private static async Task ExpectTotalAsync(IPage page, string status, string count, string? amount)
    {
        var row = page.GetByTestId("totals").Locator($"tbody tr[data-status='{status}']");
        await Expect(row.GetByTestId("count")).ToHaveTextAsync(count);
        if (amount is not null)
        {
            await Expect(row.GetByTestId("amount")).ToHaveTextAsync(amount);
        }
    }

    private static async Task<List<string>> ListedIdsAsync(IPage page, bool sorted = true)
    {
        await Expect(page.GetByTestId("orders")).ToBeVisibleAsync();
        var ids = (
            await page.GetByTestId("orders")
                .Locator("tbody tr")
                .EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.orderId)")
        ).ToList();
        return sorted ? ids.Order(StringComparer.Ordinal).ToList() : ids;
    }

    /// <summary>
    /// Signs in with a plain HTTP client (GET the form for its antiforgery token, POST the key) and returns the
    /// session's Set-Cookie header; <paramref name="hostHeader"/> poses as a request that came through a proxy.
    /// </summary>
    private async Task<(HttpClient Client, string SetCookie)> SignInOverHttpAsync(string key, string? hostHeader)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(Host.BaseUrl),
        };
        using var form = new HttpRequestMessage(HttpMethod.Get, "/dashboard/signin");
        if (hostHeader is not null)
        {
            form.Headers.Host = hostHeader;
        }

        using var formResponse = await client.SendAsync(form);
        var html = await formResponse.Content.ReadAsStringAsync();
        var token = Regex
            .Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")
            .Groups[1]
            .Value;
        Assert.NotEmpty(token);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/dashboard/signin")
        {
            Content = new FormUrlEncodedContent(
                new Dictionary<string, string> { ["key"] = key, ["__RequestVerificationToken"] = token }
            ),
        };
        if (hostHeader is not null)
        {
            post.Headers.Host = hostHeader;
        }

        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (
            client,
            Assert.Single(
                signedIn.Headers.GetValues("Set-Cookie"),
                c => c.StartsWith("truust_dashboard=", StringComparison.Ordinal)
            )
        );
    }
}
