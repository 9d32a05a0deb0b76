//! The body of Awn's home page as it is served (Arabic, demo data, a first visit),
//! written out as static markup: what `awn-reference` renders. Taken from the
//! served HTML with Leptos's hydration markers removed; refresh it when the home
//! page changes so the comparison stays fair.

use leptos::prelude::*;

#[component]
pub fn HomeMarkup() -> impl IntoView {
    view! {
        <a href="#content" class="skip-link">
          "تخطَّ إلى المحتوى"
        </a>
        <header class="site-header">
          <div class="site-header__inner">
            <a href="/" class="brand">
              <img class="brand__mark" src="/logo.svg" alt="" width="40" height="40"/>
              <span class="brand__text">
                <span class="brand__name">
                  "عون"
                </span>
                <span class="brand__association">
                  "الجمعية التعاونية متعددة الأغراض بالرهاة"
                </span>
              </span>
            </a>
            <a href="/preferences/language/en?next=%2F" hreflang="en" lang="en" aria-label="Switch to English" class="language-switch">
              "English"
            </a>
          </div>
          <nav aria-label="التنقل الرئيسي" class="site-nav">
            <a href="/" aria-current="page">
              "الرئيسية"
            </a>
            <a href="/requests">
              "طلباتي"
            </a>
            <a href="/faq">
              "الأسئلة الشائعة"
            </a>
          </nav>
        </header>
        <section role="region" aria-labelledby="consent-title" class="consent">
          <h2 id="consent-title" class="consent__title">
            "موافقتك على استخدام البيانات"
          </h2>
          <p>
            "نستخدم ما يلزم لعمل الموقع فقط، ولا نستخدم أي شيء آخر إلا بموافقتك. اختر ما تسمح به، ويمكنك تغييره في أي وقت من «خيارات الخصوصية» أسفل الصفحة. "
            <a href="/privacy">
              "اقرأ سياسة الخصوصية"
            </a>
          </p>
          <form action="/api/consent/choose" method="post" id="form-consent-banner" class="form consent__form">
            <input type="hidden" name="return_to" value="/"/>
            <div class="consent__buttons">
              <button type="submit" name="method" value="accept_all" class="button button--primary">
                "أوافق على الكل"
              </button>
              <button type="submit" name="method" value="reject_all" class="button button--primary">
                "أرفض الكل"
              </button>
            </div>
            <details class="consent__details">
              <summary>
                "أختار بنفسي"
              </summary>
              <fieldset class="choices">
                <legend>
                  "الفئات"
                </legend>
                <label class="choice">
                  <input type="checkbox" checked=true disabled=true/>
                  <span>
                    "الضرورية لعمل الموقع "
                    <small class="field__hint">
                      "الدخول واللغة وطريقة عرض الأرقام؛ لا تحتاج إلى موافقة."
                    </small>
                  </span>
                </label>
                <label class="choice">
                  <input type="checkbox" name="analytics" value="1"/>
                  <span>
                    "إحصاءات الموقع "
                    <small class="field__hint">
                      "عدّ زيارات الصفحات لتحسين الموقع، دون أي بيانات عنك."
                    </small>
                  </span>
                </label>
                <label class="choice">
                  <input type="checkbox" name="communications" value="1"/>
                  <span>
                    "التواصل "
                    <small class="field__hint">
                      "إبلاغك بأخبار الجمعية وفعالياتها."
                    </small>
                  </span>
                </label>
                <button type="submit" name="method" value="custom" class="button">
                  "احفظ اختياري"
                </button>
              </fieldset>
            </details>
          </form>
        </section>
        <main id="content" tabindex="-1" data-digits="latn" class="page">
          <section class="hero">
            <h1>
              "خدمات المستفيدين"
            </h1>
            <p class="hero__lead">
              "قدّم طلب الدعم وتابعه من جوالك حتى يصلك قرار لجنة البحث والخدمة، دون أن تحتاج إلى السؤال عنه."
            </p>
            <p class="hero__actions">
              <a href="/requests/new" class="button button--primary">
                "قدّم طلب دعم"
              </a>
              <a href="/requests" class="button">
                "تابع طلباتي"
              </a>
            </p>
          </section>
          <section aria-labelledby="services-title" class="card">
            <h2 id="services-title">
              "الخدمات التي نقدمها"
            </h2>
            <ul class="service-list">
              <li data-code="food_basket" class="service-list__item">
                <h3>
                  "سلة غذائية"
                </h3>
                <p>
                  "سلال غذائية شهرية للأسر المحتاجة."
                </p>
              </li>
              <li data-code="rent" class="service-list__item">
                <h3>
                  "المساعدة في الإيجار"
                </h3>
                <p>
                  "مساهمة في إيجار السكن للأسر المتعثرة."
                </p>
              </li>
              <li data-code="bills" class="service-list__item">
                <h3>
                  "سداد الفواتير"
                </h3>
                <p>
                  "سداد فواتير الكهرباء والماء المتأخرة."
                </p>
              </li>
              <li data-code="medical" class="service-list__item">
                <h3>
                  "الدعم العلاجي"
                </h3>
                <p>
                  "المساعدة في تكاليف العلاج والأدوية والأجهزة الطبية."
                </p>
              </li>
              <li data-code="education" class="service-list__item">
                <h3>
                  "الدعم التعليمي"
                </h3>
                <p>
                  "الحقيبة المدرسية والرسوم الدراسية والأجهزة التعليمية."
                </p>
              </li>
              <li data-code="home_appliances" class="service-list__item">
                <h3>
                  "الأجهزة المنزلية"
                </h3>
                <p>
                  "توفير الأجهزة المنزلية الأساسية كالثلاجة والمكيف."
                </p>
              </li>
            </ul>
          </section>
          <section aria-labelledby="apply-title" class="card">
            <h2 id="apply-title">
              "كيف تقدّم طلب الدعم"
            </h2>
            <ol class="steps">
              <li>
                "سجّل الدخول برقم جوالك، وسيصلك رمز تحقق."
              </li>
              <li>
                "املأ بياناتك وبيانات أسرتك ونوع الدعم المطلوب، وارفع المستندات اللازمة فقط. يُحفظ ما تكتبه أولًا بأول."
              </li>
              <li>
                "أقِرّ بصحة البيانات ووقّع الإقرار بكتابة اسمك."
              </li>
              <li>
                "يتحقق موظف علاقات المستفيدين من طلبك، ثم يُرفع إلى لجنة البحث."
              </li>
              <li class="decision-period">
                "تصدر لجنة البحث قرارها بالقبول أو الرفض خلال 14 يومًا، ونبلغك بكل تغيير في حالة طلبك."
              </li>
            </ol>
          </section>
          <section aria-labelledby="facts-title" class="card">
            <h2 id="facts-title">
              "حقائق عن خدماتنا"
            </h2>
            <ul class="facts">
              <li>
                "لا تحتاج إلى معرفة أحد في الجمعية: كل الطلبات تُدرس بالمعايير نفسها."
              </li>
              <li>
                "لا تحتاج إلى زيارة المقر: يمكنك إنجاز كل شيء من جوالك، وإذا لزمت زيارة جاءك الباحث أو مندوب المكتب."
              </li>
              <li>
                "بياناتك لا تُنشر ولا تُشارك مع أحد دون موافقتك، إلا بأمر من جهة قضائية أو تنظيمية."
              </li>
            </ul>
          </section>
          <section aria-labelledby="evaluation-title" class="card">
            <h2 id="evaluation-title">
              "تقييمك حق لك"
            </h2>
            <p>
              "بعد كل خدمة وكل استفسار نسألك عن رأيك. نستخدم التقييمات لتحسين الخدمة، لا للعقاب أو التشهير، ولا نعرض نتائج تكشف أحدًا."
            </p>
          </section>
          <section aria-labelledby="channels-title" class="card">
            <h2 id="channels-title">
              "تواصل معنا"
            </h2>
            <p>
              "نستقبل طلباتك واستفساراتك من أي قناة تناسبك، ونسجّل كل طلب مع قناته:"
            </p>
            <ul class="channel-list">
              <li>
                "المقابلة الشخصية"
              </li>
              <li>
                "الاتصالات الهاتفية"
              </li>
              <li>
                "وسائل التواصل الاجتماعي"
              </li>
              <li>
                "الخطابات"
              </li>
              <li>
                "خدمات طلب المساعدة"
              </li>
              <li>
                <a href="/volunteer">
                  "خدمة التطوع"
                </a>
              </li>
              <li>
                "الموقع الإلكتروني للجمعية"
              </li>
              <li>
                "مناديب المكاتب"
              </li>
            </ul>
          </section>
        </main>
        <footer class="site-footer">
          <div class="site-footer__inner">
            <nav class="site-footer__links">
              <a href="/privacy">
                "سياسة الخصوصية"
              </a>
              <a href="/privacy-choices">
                "خيارات الخصوصية"
              </a>
              <a href="/privacy-violation">
                "الإبلاغ عن انتهاك للخصوصية"
              </a>
              <a href="/suggestions">
                "اقتراحاتكم"
              </a>
              <a href="/volunteer">
                "التطوع"
              </a>
            </nav>
            <div role="group" aria-label="طريقة عرض الأرقام" class="digit-switch">
              <a href="/preferences/digits/latn?next=%2F" aria-current="true">
                "123"
                <span class="visually-hidden">
                  " أرقام غربية"
                </span>
              </a>
              <a href="/preferences/digits/arab?next=%2F">
                "١٢٣"
                <span class="visually-hidden">
                  " أرقام عربية"
                </span>
              </a>
            </div>
            <p class="site-footer__rights">
              "حقوقك في بياناتك مكفولة وفق نظام حماية البيانات الشخصية."
            </p>
            <p class="site-footer__copyright">
              "© الجمعية التعاونية متعددة الأغراض بالرهاة"
            </p>
          </div>
        </footer>

    }
}
