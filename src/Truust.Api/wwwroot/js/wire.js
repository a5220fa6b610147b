// The bank wire page: a poll that turns the page to "received" once the transfer has arrived (its copy buttons are
// copy.js).
(() => {
    'use strict';
    const status = document.getElementById('wire-status');
    if (!status) {
        return;
    }

    const url = status.getAttribute('data-poll');
    const poll = async () => {
        try {
            const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
            const body = response.ok ? await response.json() : null;
            if (body && body.status !== 'PENDING') {
                // The server decides what the buyer sees next (the result page).
                window.location.reload();
                return;
            }
            setTimeout(poll, 2000);
        } catch {
            setTimeout(poll, 5000);
        }
    };
    setTimeout(poll, 2000);
})();
