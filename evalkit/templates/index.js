const table=document.querySelector('table'),body=table.tBodies[0],rows=[...body.rows];
const filter=document.querySelector('#filter'),size=100,collator=new Intl.Collator('th');
const pager=document.createElement('p');pager.className='ek-pager';
pager.innerHTML='<button type="button" data-step="-1">ก่อนหน้า (previous)</button> '
+'<span aria-live="polite"></span> <button type="button" data-step="1">ถัดไป (next)</button>';
table.after(pager);
const status=pager.querySelector('span'),[prev,next]=pager.querySelectorAll('button');
let order=rows,shown=rows,page=0;const texts=new Map();
const text=r=>{let t=texts.get(r);
if(t===undefined){t=r.textContent.toLowerCase();texts.set(r,t)}return t};
const n=v=>v.toLocaleString('th-TH');
function draw(){const pages=Math.max(1,Math.ceil(shown.length/size));
page=Math.min(Math.max(page,0),pages-1);const from=page*size,to=Math.min(from+size,shown.length);
const part=shown.slice(from,to);part.forEach(r=>{r.hidden=false});body.replaceChildren(...part);
status.textContent=shown.length?`แสดง ${n(from+1)}-${n(to)} จาก ${n(shown.length)} รายการ `
+`(showing ${from+1}-${to} of ${shown.length})`:'ไม่พบรายการ (no match)';
prev.disabled=page===0;next.disabled=page>=pages-1;pager.hidden=rows.length<=size}
function find(){const q=filter.value.toLowerCase();
shown=q?order.filter(r=>text(r).includes(q)):order;page=0;draw()}
pager.addEventListener('click',e=>{const step=e.target.dataset.step;if(step){page+=+step;draw()}});
filter.addEventListener('input',find);
table.tHead.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
const dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';
table.tHead.querySelectorAll('th').forEach(h=>h.removeAttribute('aria-sort'));
th.setAttribute('aria-sort',dir===1?'ascending':'descending');
const keyed=rows.map(r=>{const k=r.cells[i].dataset.sort??r.cells[i].textContent;
return [k,parseFloat(k),r]});
keyed.sort((a,b)=>dir*(isNaN(a[1])||isNaN(b[1])?collator.compare(a[0],b[0]):a[1]-b[1]));
order=keyed.map(k=>k[2]);find()}));
draw();
