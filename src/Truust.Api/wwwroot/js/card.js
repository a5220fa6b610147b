// The card page checks the card in the browser before it is sent, so the buyer learns at once what to fix.
// The server checks everything again: this script saves a round trip, it is not a safeguard.
(() => {
    'use strict';
    const form = document.getElementById('card-form');
    if (!form) {
        return;
    }

    const { number, expiry, cvc, holder } = form.elements;
    const brandLabel = document.getElementById('card-brand');
    const button = document.getElementById('pay-button');

    const digits = (value) => value.replace(/\D/g, '');

    const brandOf = (d) => /^4/.test(d) ? 'visa' : /^5[1-5]/.test(d) ? 'mastercard' : /^3[47]/.test(d) ? 'amex' : '';

    const luhn = (d) => {
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
            let n = d.charCodeAt(d.length - 1 - i) - 48;
            if (i % 2 === 1) {
                n *= 2;
                if (n > 9) {
                    n -= 9;
                }
            }
            sum += n;
        }
        return sum % 10 === 0;
    };

    const formatNumber = (d) => brandOf(d) === 'amex'
        ? [d.slice(0, 4), d.slice(4, 10), d.slice(10, 15)].filter(Boolean).join(' ')
        : (d.match(/.{1,4}/g) || []).join(' ');

    const checks = {
        number: () => {
            const d = digits(number.value);
            if (!d) {
                return 'Enter the card number.';
            }
            return d.length < 12 || d.length > 19 || !luhn(d) ? 'This card number is not valid. Check it for typos.' : '';
        },
        expiry: () => {
            const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(expiry.value);
            if (!match) {
                return 'Enter the expiry date as MM / YY.';
            }
            const month = Number(match[1]);
            const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
            if (month < 1 || month > 12) {
                return 'Enter the expiry date as MM / YY.';
            }
            const now = new Date();
            const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
            return year * 12 + (month - 1) < thisMonth ? 'This card has expired.' : '';
        },
        cvc: () => /^\d{3,4}$/.test(cvc.value.trim())
            ? '' : 'Enter the 3 or 4 digit security code from the back of the card.',
        holder: () => holder.value.trim() ? '' : 'Enter the name as it appears on the card.',
    };

    const show = (input, message) => {
        document.getElementById(`${input.id}-error`).textContent = message;
        input.setAttribute('aria-invalid', message ? 'true' : 'false');
        input.closest('.field').classList.toggle('field-invalid', Boolean(message));
    };

    number.addEventListener('input', () => {
        const d = digits(number.value).slice(0, 19);
        number.value = formatNumber(d);
        brandLabel.textContent = brandOf(d);
    });

    expiry.addEventListener('input', (event) => {
        if (event.inputType && event.inputType.startsWith('delete')) {
            return;
        }
        const parts = expiry.value.split('/');
        if (parts.length > 1) {
            const month = digits(parts[0]).slice(0, 2);
            expiry.value = `${month.length === 1 ? `0${month}` : month} / ${digits(parts[1]).slice(0, 4)}`;
        } else {
            const d = digits(expiry.value).slice(0, 4);
            expiry.value = d.length > 2 ? `${d.slice(0, 2)} / ${d.slice(2)}` : d;
        }
    });

    // A field is judged once the buyer leaves it, not while they type.
    for (const input of [number, expiry, cvc, holder]) {
        input.addEventListener('blur', () => {
            if (input.value) {
                show(input, checks[input.name]());
            }
        });
    }

    form.addEventListener('submit', (event) => {
        let firstInvalid = null;
        for (const input of [number, expiry, cvc, holder]) {
            const message = checks[input.name]();
            show(input, message);
            if (message && !firstInvalid) {
                firstInvalid = input;
            }
        }
        if (firstInvalid) {
            event.preventDefault();
            firstInvalid.focus();
            return;
        }
        // One click, one charge: the button stays disabled while the processor answers.
        button.disabled = true;
        button.textContent = 'Processing…';
    });

    for (const fill of document.querySelectorAll('[data-fill-card]')) {
        fill.addEventListener('click', () => {
            const d = fill.getAttribute('data-fill-card');
            number.value = formatNumber(d);
            brandLabel.textContent = brandOf(d);
            show(number, '');
            if (!expiry.value) {
                expiry.value = `12 / ${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}`;
            }
            if (!cvc.value) {
                cvc.value = '123';
            }
            (holder.value ? button : holder).focus();
        });
    }
})();
