// The bank wire page: copy buttons, and a poll that turns the page to "received" once the transfer has arrived.
(() => {
    'use strict';
    const announce = document.createElement('span');
    announce.className = 'visually-hidden';
    announce.setAttribute('aria-live', 'polite');
    document.body.appendChild(announce);

    const copy = async (text) => {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return;
        }
        const area = document.createElement('textarea');
        area.value = text;
        area.setAttribute('readonly', '');
        area.className = 'visually-hidden';
        document.body.appendChild(area);
        area.select();
        try {
            document.execCommand('copy');
        } finally {
            area.remove();
        }
    };

    for (const button of document.querySelectorAll('[data-copy]')) {
        button.addEventListener('click', async () => {
            try {
                await copy(button.getAttribute('data-copy'));
                button.textContent = 'Copied';
                button.classList.add('copied');
                announce.textContent = 'Copied to the clipboard';
                setTimeout(() => {
                    button.textContent = 'Copy';
                    button.classList.remove('copied');
                }, 2000);
            } catch {
                announce.textContent = 'Could not copy: select the text instead';
            }
        });
    }

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
