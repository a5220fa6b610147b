// Copy buttons ([data-copy]) on the dashboard and the bank wire page: the text goes to the clipboard, and the button
// says so for a moment.
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
        const label = button.textContent;
        button.addEventListener('click', async () => {
            try {
                await copy(button.getAttribute('data-copy'));
                button.textContent = 'Copied';
                button.classList.add('copied');
                announce.textContent = 'Copied to the clipboard';
                setTimeout(() => {
                    button.textContent = label;
                    button.classList.remove('copied');
                }, 2000);
            } catch {
                announce.textContent = 'Copying failed: select the text and copy it by hand.';
            }
        });
    }
})();
