// Thai numerals in the printed copy of a page: the digits of its text, and of the page
// numbers in the footer; scripts, styles, links and embedded files are left as they are.
(() => {
  const thai = '๐๑๒๓๔๕๖๗๘๙';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest('script,style') ? NodeFilter.FILTER_REJECT
                                                             : NodeFilter.FILTER_ACCEPT,
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (/[0-9]/.test(node.data)) node.data = node.data.replace(/[0-9]/g, d => thai[d]);
  }
  document.title = document.title.replace(/[0-9]/g, d => thai[d]);
  const style = document.createElement('style');
  style.textContent = '@page{@bottom-right{content:"หน้า " counter(page, thai) " / " ' +
    'counter(pages, thai)}}';
  document.head.append(style);
})();
