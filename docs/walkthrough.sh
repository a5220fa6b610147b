# The escrow lifecycle in curl: paste into a shell while `dotnet run --project src/Truust.Api` runs, or run it:
#   bash docs/walkthrough.sh [base URL]     (default: $TRUUST_URL, else http://localhost:5080)
API=${1:-${TRUUST_URL:-http://localhost:5080}}/v1
KEY="Authorization: Bearer sk_test_demo_truust_00000000000000000000"
JSON="Content-Type: application/json"
id() { grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4; }   # the id of the object in a response

# 1. A seller and a buyer, and the seller's wallet.
SELLER=$(curl -s $API/customers -H "$KEY" -H "$JSON" -d '{"name":"Sam Seller","email":"sam@example.com"}' | id)
BUYER=$(curl -s $API/customers -H "$KEY" -H "$JSON" -d '{"name":"Bea Buyer","email":"bea@example.com"}' | id)
WALLET=$(curl -s $API/wallets -H "$KEY" -H "$JSON" -d "{\"customer_id\":\"$SELLER\",\"currency\":\"EUR\"}" | id)

# 2. An order of 150.00 EUR: PENDING_PUBLISH (its buyer is identified), with buyer_link and seller_link.
ORDER=$(curl -s $API/orders -H "$KEY" -H "$JSON" \
  -d "{\"name\":\"Vintage bicycle\",\"amount\":15000,\"currency\":\"EUR\",\"buyer_id\":\"$BUYER\",\"seller_id\":\"$SELLER\"}" | id)

# 3. The buyer pays by card (the sandbox plays the card page): PENDING_PUBLISH, then PUBLISHED.
PAYIN=$(curl -s $API/payins -H "$KEY" -H "$JSON" -d "{\"order_id\":\"$ORDER\",\"type\":\"ADDON\"}" | id)
curl -s $API/sandbox/payins/$PAYIN/card -H "$KEY" -H "$JSON" \
  -d '{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}'; echo

# 4. The seller accepts and asks to be paid into the wallet: ACCEPTED, then PENDING_VALIDATE.
curl -s -X POST $API/orders/$ORDER/accept -H "$KEY"; echo
curl -s $API/payouts -H "$KEY" -H "$JSON" -d "{\"order_id\":\"$ORDER\",\"type\":\"WALLET\",\"wallet_id\":\"$WALLET\"}"; echo

# 5. The platform validates: PENDING_RELEASE, and the release worker pays out at once: RELEASED.
curl -s -X POST $API/orders/$ORDER/validate -H "$KEY"; echo
sleep 1
curl -s $API/orders/$ORDER -H "$KEY"; echo
curl -s $API/wallets/$WALLET -H "$KEY"; echo          # balance: 15000
curl -s $API/orders/$ORDER/history -H "$KEY"; echo    # every status change
curl -s $API/orders/$ORDER/ledger -H "$KEY"; echo     # card → escrow → wallet

# 6. Anything else is refused with the actions allowed now.
curl -s -X POST $API/orders/$ORDER/cancel -H "$KEY"; echo
